import { describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from './CircuitBreaker.js';
import { CircuitOpenError, MinerConnectionError, ValidationError } from './errors.js';
import type { GiveUpEvent, RetryEvent } from './retry.js';
import { retrySync } from './retrySync.js';
import { FakeClock } from './testing.js';

const options = (clock: FakeClock) => ({ clock, jitter: 'none' as const, baseDelayMs: 100 });

describe('retrySync', () => {
  it('returns synchronously, retrying transient failures with blocking waits on the clock', () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const retries: RetryEvent[] = [];
    const value = retrySync(
      (attempt) => {
        attempts.push(attempt);
        if (attempt < 3) throw new MinerConnectionError('down');
        return 'ok';
      },
      { ...options(clock), onRetry: (e) => retries.push(e) },
    );
    expect(value).toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    expect(retries.map((r) => r.delayMs)).toEqual([100, 200]);
    expect(clock.now()).toBe(300);
  });

  it('throws the last error unchanged on exhaustion, and non-retryable at once', () => {
    const clock = new FakeClock();
    const last = new MinerConnectionError('last');
    let n = 0;
    const giveUps: GiveUpEvent[] = [];
    expect(() =>
      retrySync(
        () => {
          n += 1;
          throw n === 2 ? last : new MinerConnectionError('first');
        },
        { ...options(clock), maxAttempts: 2, onGiveUp: (e) => giveUps.push(e) },
      ),
    ).toThrow(last);
    expect(giveUps).toEqual([{ attempts: 2, error: last, reason: 'exhausted' }]);
    const fatal = vi.fn(() => {
      throw new ValidationError('bad');
    });
    expect(() => retrySync(fatal, options(clock))).toThrow(ValidationError);
    expect(fatal).toHaveBeenCalledTimes(1);
  });

  it('goes through a breaker with executeSync and stops on CircuitOpenError', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('sync', { failureThreshold: 2 }, { clock });
    const fn = vi.fn(() => {
      throw new MinerConnectionError('down');
    });
    expect(() => retrySync(fn, { ...options(clock), maxAttempts: 5, circuitBreaker: breaker })).toThrow(
      CircuitOpenError,
    );
    expect(fn).toHaveBeenCalledTimes(2);
    expect(breaker.stats()).toMatchObject({ calls: 2, refusals: 1, retries: 2, giveUps: 1 });
  });

  it('refuses a promise-returning fn with a clear TypeError', () => {
    expect(() => retrySync(() => Promise.resolve(1) as unknown, {})).toThrow(/use `retry`/);
  });

  it('needs a clock with sleepSync', () => {
    const clock = { now: () => 0, sleep: () => Promise.resolve() };
    expect(() => retrySync(() => 1, { clock })).toThrow(/sleepSync/);
  });

  it('stops before the next attempt when the signal was aborted meanwhile', () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const reason = new Error('stop');
    const fn = vi.fn(() => {
      controller.abort(reason);
      throw new MinerConnectionError('down');
    });
    expect(() => retrySync(fn, { ...options(clock), signal: controller.signal })).toThrow(reason);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
