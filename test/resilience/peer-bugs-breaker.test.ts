// The nine bugs that the behavioural cases ported from the peers' suites (cockatiel, opossum,
// p-retry, resilience4j, Polly, failsafe-go, tenacity) found in the first version (issue #12).
// Each test failed before its fix. This file: breaker, registry and retry (2, 3, 4, 5, 7, 8);
// peer-bugs-errors.test.ts has classification, budget and errors.
import { describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  type CircuitOpenError,
  isCircuitOpenError,
  RetryManager,
  type RetryOptions,
  retry,
} from '../../src/resilience/index.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { failure } from './settle.js';

const T0 = 1_700_000_000_000;

describe('2: restore() writes into the breakers the app holds', () => {
  it('a held breaker restored open is open, and the registry still gives that instance', async () => {
    const clock = new FakeClock(T0);
    const before = new RetryManager({ clock });
    const old = before.getCircuitBreaker('difficulty_api', {
      failureThreshold: 1,
      recoveryTimeoutMs: 60_000,
    });
    await old.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    const saved = JSON.parse(JSON.stringify(before.snapshot()));

    const manager = new RetryManager({ clock });
    const held = manager.getCircuitBreaker('difficulty_api', {
      failureThreshold: 1,
      recoveryTimeoutMs: 60_000,
    });
    manager.restore(saved);
    expect(manager.getCircuitBreaker('difficulty_api')).toBe(held);
    expect(held.state).toBe('open');
    expect(manager.getStats().difficulty_api?.state).toBe('open');
    const refusal = await failure(held.execute(() => 1));
    expect(isCircuitOpenError(refusal)).toBe(true);

    await clock.advance(60_000);
    await held.execute(() => 1);
    expect(manager.getStats().difficulty_api?.state).toBe('half_open');
    expect(manager.snapshot()[0]?.state).toBe('half_open');
    await held.execute(() => 1);
    await held.execute(() => 1);
    expect(manager.getStats().difficulty_api?.state).toBe('closed');
    expect(manager.snapshot()[0]?.state).toBe('closed');
  });
});

describe('3: a half-open trial that never settles', () => {
  it('counts as a failed trial after halfOpenMaxWaitMs (default recoveryTimeoutMs); the breaker recovers', async () => {
    const clock = new FakeClock(T0);
    const breaker = new CircuitBreaker('b', { failureThreshold: 1, recoveryTimeoutMs: 1000 }, { clock });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    await clock.advance(1000);
    expect(breaker.state).toBe('half_open');
    const hung = breaker.execute(() => new Promise<number>(() => undefined));
    const busy = await failure(breaker.execute(() => 1));
    expect(busy).toMatchObject({ code: 'CIRCUIT_OPEN' });

    await clock.advance(1000);
    expect(breaker.state).toBe('open');
    const refusal = (await failure(breaker.execute(() => 1))) as CircuitOpenError;
    expect(refusal.retryAfterMs).toBe(1000);
    await clock.advance(1000);
    await expect(breaker.execute(() => 7)).resolves.toBe(7);
    expect(breaker.state).toBe('half_open');
    void hung;
  });

  it('honours an explicit halfOpenMaxWaitMs, and ignores the late result', async () => {
    const clock = new FakeClock(T0);
    const breaker = new CircuitBreaker(
      'b',
      { failureThreshold: 1, recoveryTimeoutMs: 1000, successThreshold: 1 },
      { clock, halfOpenMaxWaitMs: 50 },
    );
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    await clock.advance(1000);
    let answer: (value: number) => void = () => undefined;
    const slow = breaker.execute(() => new Promise<number>((resolve) => (answer = resolve)));
    await clock.advance(50);
    expect(breaker.state).toBe('open');
    answer(1);
    await slow;
    expect(breaker.state).toBe('open');
  });

  it('refuses a negative halfOpenMaxWaitMs with a TypeError naming it', () => {
    expect(() => new CircuitBreaker('b', {}, { halfOpenMaxWaitMs: -1 })).toThrow(/halfOpenMaxWaitMs/);
  });
});

describe('4: one name, one breaker, always visible', () => {
  it('a held breaker evicted while pristine, that then counts failures, is in the stats', async () => {
    const clock = new FakeClock(T0);
    const manager = new RetryManager({ clock, maxIdleMs: 1000 });
    const held = manager.getCircuitBreaker('miner_operations:a');
    await clock.advance(1000);
    expect(manager.evictIdle()).toEqual(['miner_operations:a']);
    await held.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    expect(manager.getStats()['miner_operations:a']?.failureCount).toBe(1);
  });

  it('a name asked for again after eviction gives the instance still held', async () => {
    const clock = new FakeClock(T0);
    const manager = new RetryManager({ clock, maxIdleMs: 1000 });
    const held = manager.getCircuitBreaker('miner_operations:a');
    await clock.advance(1000);
    manager.evictIdle();
    expect(manager.getCircuitBreaker('miner_operations:a')).toBe(held);
  });
});

describe('5: a refusal says why', () => {
  it('a run whose own failures open its breaker ends in CircuitOpenError caused by the real error', async () => {
    const clock = new FakeClock(T0);
    const breaker = new CircuitBreaker('b', { failureThreshold: 2 }, { clock });
    const real = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const error = await failure(
      retry(() => Promise.reject(real), { maxAttempts: 5, baseDelayMs: 0, circuitBreaker: breaker, clock }),
    );
    expect(isCircuitOpenError(error)).toBe(true);
    expect((error as CircuitOpenError).cause).toBe(real);
    expect((error as CircuitOpenError).breakerName).toBe('b');
    expect(breaker.stats().lastFailure).toEqual({
      message: 'connect ECONNREFUSED',
      code: 'ECONNREFUSED',
      at: T0,
    });
  });

  it('lastFailure is null before any failure', () => {
    expect(new CircuitBreaker('b').stats().lastFailure).toBeNull();
  });
});

describe('7: options objects hold no hidden state', () => {
  it('a changed setting changes the next call', async () => {
    const options: { maxAttempts: number; baseDelayMs: number } = { maxAttempts: 1, baseDelayMs: 0 };
    let calls = 0;
    const fn = (): never => {
      calls += 1;
      throw new Error('transient');
    };
    await failure(retry(fn, options));
    expect(calls).toBe(1);
    options.maxAttempts = 3;
    await failure(retry(fn, options));
    expect(calls).toBe(4);
  });

  it('an invalid hook set later is a TypeError naming it, not called', async () => {
    const options: Record<string, unknown> = { maxAttempts: 2, baseDelayMs: 0 };
    await retry(() => 1, options as RetryOptions);
    options.onRetry = 'not a function';
    const error = await failure(retry(() => 1, options as RetryOptions));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('onRetry');
    options.onRetry = undefined;
    options.maxAttempts = 0;
    expect(((await failure(retry(() => 1, options as RetryOptions))) as Error).message).toContain(
      'maxAttempts',
    );
  });
});

describe('8: a value whose `then` getter throws', () => {
  const hostile = (): unknown => ({
    // biome-ignore lint/suspicious/noThenProperty: the point of the test is a hostile thenable
    get then(): never {
      throw new Error('then getter');
    },
  });

  it('execute() rejects, and releases the admission', async () => {
    const clock = new FakeClock(T0);
    const breaker = new CircuitBreaker('b', { failureThreshold: 1, recoveryTimeoutMs: 10 }, { clock });
    const result = breaker.execute(hostile);
    expect(result).toBeInstanceOf(Promise);
    expect(((await failure(result)) as Error).message).toBe('then getter');
    expect(breaker.stats()).toMatchObject({ inFlight: 0, failures: 1, state: 'open' });
    await clock.advance(10);
    await expect(breaker.execute(() => 1)).resolves.toBe(1);
  });

  it('retry() through a breaker rejects too, and the breaker is left with nothing in flight', async () => {
    const breaker = new CircuitBreaker('b');
    const error = await failure(retry(hostile, { maxAttempts: 2, baseDelayMs: 0, circuitBreaker: breaker }));
    expect((error as Error).message).toBe('then getter');
    expect(breaker.stats().inFlight).toBe(0);
    expect(breaker.stats().calls).toBe(2);
  });

  it('executeSync() throws it, and releases the admission', () => {
    const breaker = new CircuitBreaker('b');
    expect(() => breaker.executeSync(hostile)).toThrow('then getter');
    expect(breaker.stats().inFlight).toBe(0);
  });
});
