// retry, breakers, presets and the budget end to end against real local servers, a real SQLite
// file and a real refused port; time comes from a FakeClock so nothing waits for real.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  HttpStatusError,
  NetworkError,
  parseRetryAfter,
  RetryBudget,
  RetryManager,
  retry,
  retryMinerOperation,
  retrySync,
} from '../../src/resilience/index.js';
import { FakeClock } from '../../src/resilience/testing.js';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What an HTTP layer does: one error type, Retry-After parsed once. */
async function getJson(url: string, clock: FakeClock): Promise<unknown> {
  let response: Awaited<ReturnType<typeof undiciFetch>>;
  try {
    response = await undiciFetch(url);
  } catch (error) {
    throw new NetworkError(`GET ${url} failed`, { cause: error, target: url });
  }
  if (!response.ok) {
    await response.arrayBuffer();
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());
    throw new HttpStatusError(`GET ${url}: ${response.status}`, {
      status: response.status,
      url,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  return response.json();
}

/**
 * Resolves with the value or the error of `promise`, moving the fake clock whenever the code under
 * test waits on it; while it waits on real I/O instead, yields to the event loop.
 */
async function settle<T>(clock: FakeClock, promise: Promise<T>): Promise<T | unknown> {
  let done = false;
  const outcome = promise.then(
    (value) => value,
    (error: unknown) => error,
  );
  void outcome.finally(() => {
    done = true;
  });
  while (!done) {
    if (clock.pendingSleeps > 0) await clock.runAll();
    else await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return outcome;
}

let server: Server;
let port: number;
let script: { status: number; headers?: Record<string, string> }[] = [];
let hits = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    hits += 1;
    const step = script.shift() ?? { status: 200 };
    response.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
    response.end(JSON.stringify({ path: request.url, hashRate: 1234 }));
  });
  port = await listen(server);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('retry against a real HTTP server', () => {
  it('recovers from 503s, honouring Retry-After (seconds) from the real header', async () => {
    const clock = new FakeClock(Date.now());
    const manager = new RetryManager({ clock });
    script = [
      { status: 503, headers: { 'retry-after': '2' } },
      { status: 503, headers: { 'retry-after': '3' } },
    ];
    hits = 0;
    const delays: number[] = [];
    const result = await settle(
      clock,
      retry(() => getJson(`http://127.0.0.1:${port}/api/system/info`, clock), {
        clock,
        manager,
        circuitBreaker: 'http_requests',
        onRetry: (event) => delays.push(event.delayMs),
      }),
    );
    expect(result).toEqual({ path: '/api/system/info', hashRate: 1234 });
    expect(hits).toBe(3);
    expect(delays).toEqual([2000, 3000]);
    expect(manager.getStats().http_requests).toMatchObject({
      state: 'closed',
      calls: 3,
      failures: 2,
      retries: 2,
    });
  });

  it('a 404 is thrown at once and does not count against the breaker', async () => {
    const clock = new FakeClock(Date.now());
    const manager = new RetryManager({ clock });
    script = [{ status: 404 }];
    hits = 0;
    const error = await settle(
      clock,
      retry(() => getJson(`http://127.0.0.1:${port}/nope`, clock), {
        clock,
        manager,
        circuitBreaker: 'http',
      }),
    );
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).status).toBe(404);
    expect(hits).toBe(1);
    expect(manager.getStats().http).toMatchObject({ failures: 0, failureCount: 0 });
  });
});

describe('per-miner breakers against a refused port and a live server', () => {
  it('the dead miner opens its own breaker; the live one is untouched', async () => {
    const clock = new FakeClock(Date.now());
    const manager = new RetryManager({ clock });
    const dead = await closedPort();
    const hosts: Record<string, number> = { dead, live: port };
    const poll = retryMinerOperation({ clock, manager, key: (id) => String(id), failureThreshold: 3 })(
      async (id: string) => getJson(`http://127.0.0.1:${hosts[id]}/api/system/info`, clock),
    );

    const first = await settle(clock, poll('dead'));
    expect(first).toBeInstanceOf(NetworkError);
    expect((first as NetworkError).cause).toMatchObject({ message: 'fetch failed' });
    const second = await settle(clock, poll('dead'));
    expect(second).toBeInstanceOf(CircuitOpenError);
    expect(manager.getStats()['miner_operations:dead']).toMatchObject({
      state: 'open',
      failures: 3,
      refusals: 1,
    });

    script = [];
    await expect(poll('live')).resolves.toMatchObject({ hashRate: 1234 });
    expect(manager.getStats()['miner_operations:live']).toMatchObject({ state: 'closed', calls: 1 });
  });

  it('an abort stops a retry against a dead miner during its wait', async () => {
    const clock = new FakeClock(Date.now());
    const dead = await closedPort();
    const controller = new AbortController();
    let calls = 0;
    const running = retry(
      () => {
        calls += 1;
        return getJson(`http://127.0.0.1:${dead}/`, clock);
      },
      { clock, maxAttempts: 10, signal: controller.signal },
    ).catch((error: unknown) => error);
    while (clock.pendingSleeps === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('poller stopped'));
    expect(await running).toMatchObject({ message: 'poller stopped' });
    expect(calls).toBe(1);
  });

  it('a shared budget keeps a dark fleet from multiplying calls', async () => {
    const clock = new FakeClock(Date.now());
    const dead = await closedPort();
    const budget = new RetryBudget();
    let calls = 0;
    const pollers = Array.from({ length: 20 }, () =>
      retry(
        () => {
          calls += 1;
          return getJson(`http://127.0.0.1:${dead}/`, clock);
        },
        { clock, budget, maxAttempts: 5 },
      ).catch(() => undefined),
    );
    await settle(clock, Promise.all(pollers));
    // Without the budget: 20 * 5 = 100 calls. With it, only the first failures get retries.
    expect(calls).toBeLessThan(30);
    expect(budget.stats().retriesDenied).toBeGreaterThan(0);
  });
});

describe('SQLite and persistence', () => {
  it('retrySync recovers from a real SQLITE_BUSY once the other writer commits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'solowatch-retry-'));
    const holder = new Database(join(dir, 'db.sqlite'));
    const writer = new Database(join(dir, 'db.sqlite'), { timeout: 0 });
    try {
      holder.pragma('journal_mode = WAL');
      holder.exec('CREATE TABLE samples (v INTEGER)');
      holder.exec('BEGIN IMMEDIATE');
      const clock = new FakeClock();
      const errors: string[] = [];
      const insert = writer.prepare('INSERT INTO samples (v) VALUES (?)');
      const result = retrySync(() => insert.run(7).changes, {
        clock,
        baseDelayMs: 50,
        onRetry: (event) => {
          errors.push((event.error as { code: string }).code);
          holder.exec('COMMIT');
        },
      });
      expect(result).toBe(1);
      expect(errors).toEqual(['SQLITE_BUSY']);
      expect(writer.prepare('SELECT count(*) AS n FROM samples').get()).toEqual({ n: 1 });
    } finally {
      holder.close();
      writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('breaker state survives a restart through a JSON file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'solowatch-breakers-'));
    try {
      const clock = new FakeClock(Date.now());
      const before = new RetryManager({ clock });
      const breaker = before.getCircuitBreaker('miner_operations:a', {
        failureThreshold: 1,
        recoveryTimeoutMs: 30_000,
      });
      await breaker.execute(() => Promise.reject(new NetworkError('down'))).catch(() => undefined);
      writeFileSync(join(dir, 'breakers.json'), JSON.stringify(before.snapshot()));

      await clock.advance(10_000);
      const after = new RetryManager({ clock });
      after.restore(JSON.parse(readFileSync(join(dir, 'breakers.json'), 'utf8')));
      const restored = after.getCircuitBreaker('miner_operations:a');
      expect(restored.state).toBe('open');
      await expect(restored.execute(() => 'x')).rejects.toMatchObject({ retryAfterMs: 20_000 });
      await clock.advance(20_000);
      expect(restored.state).toBe('half_open');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
