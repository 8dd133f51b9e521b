// The nine bugs that the behavioural cases ported from the peers' suites (cockatiel, opossum,
// p-retry, resilience4j, Polly, failsafe-go, tenacity) found in the first version (issue #12).
// Each test failed before its fix. This file: classification, budget and errors (1, 6, 9);
// peer-bugs-breaker.test.ts has the breaker, registry and retry ones.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  CircuitOpenError,
  HttpStatusError,
  isRetryable,
  RetryBudget,
  retry,
} from '../../src/resilience/index.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { failure } from './settle.js';

const T0 = 1_700_000_000_000;

describe('1: a socket dropped mid-reply (undici `terminated`, cause UND_ERR_SOCKET)', () => {
  let server: Server;
  let url: string;
  let requests = 0;

  beforeAll(async () => {
    // Promises 1000 bytes, sends 10, then drops the connection: what a device that reboots or
    // crashes mid-reply does.
    server = createServer((_request, response) => {
      requests += 1;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"hashRate');
      setImmediate(() => response.socket?.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    url = `http://127.0.0.1:${address.port}/api/system/info`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const read = async (): Promise<string> => (await fetch(url)).text();

  it('fetch rejects with TypeError("terminated") caused by UND_ERR_SOCKET, and it is retryable', async () => {
    const error = await failure(read());
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('terminated');
    expect((error as Error).cause).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(isRetryable(error)).toBe(true);
  });

  it('is retried, and every attempt is counted by the breaker', async () => {
    const clock = new FakeClock(T0);
    const breaker = new CircuitBreaker('device', { failureThreshold: 2 }, { clock });
    const before = requests;
    const error = await failure(
      retry(read, { maxAttempts: 2, baseDelayMs: 0, circuitBreaker: breaker, clock }),
    );
    expect((error as Error).message).toBe('terminated');
    expect(requests - before).toBe(2);
    expect(breaker.stats()).toMatchObject({ failures: 2, state: 'open' });
  });

  it('a programming TypeError with a non-transient cause stays non-retryable', () => {
    expect(isRetryable(new TypeError('x is not a function', { cause: new Error('plain') }))).toBe(false);
  });
});

describe('6: a RetryBudget that could never refill', () => {
  it('refuses a tokenRatio that rounds to zero thousandths', () => {
    expect(() => new RetryBudget({ tokenRatio: 0.0004 })).toThrow(/tokenRatio/);
    expect(() => new RetryBudget({ maxTokens: 0.0004 })).toThrow(/maxTokens/);
    expect(new RetryBudget({ tokenRatio: 0.001 }).tokenRatio).toBe(0.001);
  });
});

describe('9: every error class can be built with a message alone', () => {
  it('CircuitOpenError and HttpStatusError', () => {
    const open = new CircuitOpenError('open');
    expect(open.message).toBe('open');
    expect(open.code).toBe('CIRCUIT_OPEN');
    expect(open.retryAfterMs).toBe(0);
    expect(isRetryable(open)).toBe(false);
    const http = new HttpStatusError('bad');
    expect(http.message).toBe('bad');
    expect(http.status).toBe(0);
  });
});
