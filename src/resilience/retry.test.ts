import { describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from './CircuitBreaker.js';
import { CircuitOpenError, HttpStatusError, MinerConnectionError, ValidationError } from './errors.js';
import { RetryBudget } from './RetryBudget.js';
import { RetryManager } from './RetryManager.js';
import { type GiveUpEvent, type RetryEvent, retry } from './retry.js';
import { FakeClock } from './testing.js';

const transient = (n: number) => new MinerConnectionError(`fail ${n}`);

/** fn that fails `failures` times with a transient error, then returns 'ok'. */
function flaky(failures: number) {
  const attempts: number[] = [];
  const fn = (attempt: number) => {
    attempts.push(attempt);
    if (attempts.length <= failures) throw transient(attempt);
    return 'ok';
  };
  return { fn, attempts };
}

function base(clock: FakeClock) {
  return { clock, random: () => 0.5, jitter: 'none' as const, baseDelayMs: 100 };
}

describe('retry: attempts', () => {
  it('returns the first success without waiting', async () => {
    const clock = new FakeClock();
    await expect(retry(() => 5, base(clock))).resolves.toBe(5);
    expect(clock.now()).toBe(0);
  });

  it('counts attempts from 1 and calls fn at most maxAttempts times', async () => {
    const clock = new FakeClock();
    const { fn, attempts } = flaky(10);
    const running = retry(fn, { ...base(clock), maxAttempts: 4 });
    const outcome = running.catch((e: unknown) => e);
    await clock.runAll();
    const error = await outcome;
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(error).toBeInstanceOf(MinerConnectionError);
    expect((error as Error).message).toBe('fail 4');
  });

  it('recovers from transient failures and waits the exponential delays', async () => {
    const clock = new FakeClock();
    const { fn, attempts } = flaky(2);
    const retries: RetryEvent[] = [];
    const running = retry(fn, { ...base(clock), maxAttempts: 3, onRetry: (e) => retries.push(e) });
    await clock.runAll();
    await expect(running).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 100],
      [2, 200],
    ]);
    expect(clock.now()).toBe(300);
  });

  it('accepts async functions and rejected promises', async () => {
    const clock = new FakeClock();
    let n = 0;
    const running = retry(
      async () => {
        n += 1;
        if (n < 3) throw transient(n);
        return n;
      },
      { ...base(clock), maxAttempts: 3 },
    );
    await clock.runAll();
    await expect(running).resolves.toBe(3);
  });

  it('uses the default of 3 attempts', async () => {
    const clock = new FakeClock();
    const { fn, attempts } = flaky(10);
    const running = retry(fn, { clock, random: () => 0 }).catch(() => undefined);
    await clock.runAll();
    await running;
    expect(attempts).toHaveLength(3);
  });

  it('throws a non-retryable error at once, unchanged', async () => {
    const clock = new FakeClock();
    const error = new ValidationError('bad host');
    const fn = vi.fn(() => {
      throw error;
    });
    const giveUps: GiveUpEvent[] = [];
    await expect(retry(fn, { ...base(clock), onGiveUp: (e) => giveUps.push(e) })).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(giveUps).toEqual([{ attempts: 1, error, reason: 'non_retryable' }]);
  });

  it('throws the last error unchanged on exhaustion and reports the give-up', async () => {
    const clock = new FakeClock();
    const errors: Error[] = [];
    const giveUps: GiveUpEvent[] = [];
    const running = retry(
      (attempt) => {
        const error = new HttpStatusError(`503 #${attempt}`, { status: 503 });
        errors.push(error);
        throw error;
      },
      { ...base(clock), maxAttempts: 2, onGiveUp: (e) => giveUps.push(e) },
    ).catch((e: unknown) => e);
    await clock.runAll();
    const thrown = await running;
    expect(thrown).toBe(errors[1]);
    expect(giveUps).toEqual([{ attempts: 2, error: errors[1], reason: 'exhausted' }]);
  });

  it('honours an isRetryable override', async () => {
    const clock = new FakeClock();
    const fn = vi.fn(() => {
      throw new TypeError('normally fatal');
    });
    const running = retry(fn, { ...base(clock), isRetryable: () => true }).catch(() => undefined);
    await clock.runAll();
    await running;
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('validates options before the first call', async () => {
    const fn = vi.fn(() => 1);
    await expect(retry(fn, { maxAttempts: 0 })).rejects.toThrow(
      'Expected `maxAttempts` to be a positive integer, got 0',
    );
    expect(fn).not.toHaveBeenCalled();
  });

  it('uses the injected random for jitter', async () => {
    const clock = new FakeClock();
    const { fn } = flaky(1);
    const delays: number[] = [];
    const running = retry(fn, {
      clock,
      baseDelayMs: 1000,
      random: () => 0.25,
      onRetry: (e) => delays.push(e.delayMs),
    });
    await clock.runAll();
    await running;
    expect(delays).toEqual([250]);
  });
});

describe('retry: Retry-After', () => {
  it('replaces the computed delay with the error retryAfterMs', async () => {
    const clock = new FakeClock();
    let n = 0;
    const delays: number[] = [];
    const running = retry(
      () => {
        n += 1;
        if (n === 1) throw new HttpStatusError('429', { status: 429, retryAfterMs: 7000 });
        if (n === 2) throw new HttpStatusError('503', { status: 503, retryAfterMs: 10 });
        return 'ok';
      },
      { ...base(clock), onRetry: (e) => delays.push(e.delayMs) },
    );
    await clock.runAll();
    await expect(running).resolves.toBe('ok');
    expect(delays).toEqual([7000, 10]);
    expect(clock.now()).toBe(7010);
  });

  it('caps Retry-After at maxDelayMs', async () => {
    const clock = new FakeClock();
    let n = 0;
    const delays: number[] = [];
    const running = retry(
      () => {
        n += 1;
        if (n === 1) throw new HttpStatusError('429', { status: 429, retryAfterMs: 3_600_000 });
        return 'ok';
      },
      { ...base(clock), maxDelayMs: 5000, onRetry: (e) => delays.push(e.delayMs) },
    );
    await clock.runAll();
    await running;
    expect(delays).toEqual([5000]);
  });
});

describe('retry: abort', () => {
  it('an abort during a wait rejects with signal.reason and stops retrying', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const fn = vi.fn(() => {
      throw transient(1);
    });
    const giveUps: GiveUpEvent[] = [];
    const running = retry(fn, {
      ...base(clock),
      maxAttempts: 5,
      signal: controller.signal,
      onGiveUp: (e) => giveUps.push(e),
    }).catch((e: unknown) => e);
    await clock.advance(0);
    expect(clock.pendingSleeps).toBe(1);
    controller.abort(reason);
    expect(await running).toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(clock.pendingSleeps).toBe(0);
    expect(giveUps).toMatchObject([{ attempts: 1, reason: 'aborted' }]);
  });

  it('an already aborted signal makes no call', async () => {
    const fn = vi.fn(() => 1);
    const reason = new Error('no');
    await expect(retry(fn, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('an abort while fn runs stops after that attempt', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const running = retry(
      () => {
        controller.abort(new Error('cancelled'));
        throw transient(1);
      },
      { ...base(clock), signal: controller.signal },
    );
    await expect(running).rejects.toThrow('cancelled');
    expect(clock.pendingSleeps).toBe(0);
  });

  it('with no reason given, rejects with the default AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(retry(() => 1, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('retry: circuit breaker', () => {
  function managed() {
    const clock = new FakeClock(0);
    const manager = new RetryManager({ clock });
    return { clock, manager };
  }

  it('sends every attempt through the breaker on its own', async () => {
    const { clock, manager } = managed();
    const { fn } = flaky(2);
    const running = retry(fn, { ...base(clock), manager, circuitBreaker: 'svc' });
    await clock.runAll();
    await running;
    expect(manager.getStats().svc).toMatchObject({
      calls: 3,
      failures: 2,
      successes: 1,
      retries: 2,
      giveUps: 0,
    });
  });

  it('creates a named breaker with the breaker fields of the options', async () => {
    const { clock, manager } = managed();
    await retry(() => 1, {
      ...base(clock),
      manager,
      circuitBreaker: 'svc',
      failureThreshold: 2,
      recoveryTimeoutMs: 10,
    });
    expect(manager.getCircuitBreaker('svc').config).toEqual({
      failureThreshold: 2,
      recoveryTimeoutMs: 10,
      successThreshold: 3,
    });
  });

  it('stops at once when the breaker opens mid-run: CircuitOpenError is never retried', async () => {
    const { clock, manager } = managed();
    const fn = vi.fn(() => {
      throw transient(0);
    });
    const giveUps: GiveUpEvent[] = [];
    const running = retry(fn, {
      ...base(clock),
      manager,
      circuitBreaker: 'svc',
      failureThreshold: 2,
      maxAttempts: 10,
      onGiveUp: (e) => giveUps.push(e),
    }).catch((e: unknown) => e);
    await clock.runAll();
    const error = await running;
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(giveUps).toMatchObject([{ attempts: 3, reason: 'circuit_open' }]);
    expect(manager.getStats().svc).toMatchObject({ refusals: 1, giveUps: 1 });
  });

  it('rejects at once through an open breaker instance without calling fn', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('inst', { failureThreshold: 1 }, { clock });
    await breaker.execute(() => Promise.reject(transient(0))).catch(() => undefined);
    const fn = vi.fn(() => 1);
    await expect(retry(fn, { ...base(clock), circuitBreaker: breaker })).rejects.toBeInstanceOf(
      CircuitOpenError,
    );
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('retry: budget', () => {
  it('stops retrying once the shared budget is at half, and first attempts still run', async () => {
    const clock = new FakeClock();
    const budget = new RetryBudget({ maxTokens: 4 });
    const calls: number[] = [];
    const giveUps: GiveUpEvent[] = [];
    const failing = (id: number) => () => {
      calls.push(id);
      throw transient(id);
    };
    const options = { ...base(clock), maxAttempts: 5, budget, onGiveUp: (e: GiveUpEvent) => giveUps.push(e) };
    const first = retry(failing(1), options).catch(() => undefined);
    await clock.runAll();
    await first;
    // 4 tokens: failure -> 3 (> 2, retry), failure -> 2 (not > 2, stop).
    expect(calls).toEqual([1, 1]);
    expect(giveUps.at(-1)).toMatchObject({ attempts: 2, reason: 'budget' });
    const second = retry(failing(2), options).catch(() => undefined);
    await clock.runAll();
    await second;
    expect(calls).toEqual([1, 1, 2]);
    expect(budget.stats()).toMatchObject({ retriesGranted: 1, retriesDenied: 2 });
  });

  it('successes refill the budget', async () => {
    const budget = new RetryBudget({ maxTokens: 10, tokenRatio: 1 });
    budget.recordFailure();
    budget.recordFailure();
    await retry(() => 1, { budget });
    expect(budget.tokens).toBe(9);
  });

  it('non-retryable errors cost no token', async () => {
    const budget = new RetryBudget();
    await retry(
      () => {
        throw new ValidationError('x');
      },
      { budget },
    ).catch(() => undefined);
    expect(budget.tokens).toBe(10);
  });
});

describe('retry: option validation', () => {
  it.each([
    [{ onRetry: 5 }, /`onRetry` to be a function/],
    [{ isRetryable: 'yes' }, /`isRetryable` to be a function/],
    [{ random: 0.5 }, /`random` to be a function/],
    [{ signal: {} }, /`signal` to be an AbortSignal/],
    [{ circuitBreaker: 42 }, /`circuitBreaker`/],
    [{ clock: { now: () => 0 } }, /`clock`/],
    [{ jitter: 'lots' }, /`jitter`/],
  ])('rejects %o before calling fn', async (options, message) => {
    let called = false;
    await expect(
      retry(() => {
        called = true;
      }, options as never),
    ).rejects.toThrow(message);
    expect(called).toBe(false);
  });
});

describe('retry: through a recovering breaker', () => {
  it('trial calls made by retry close a half-open breaker again', async () => {
    const clock = new FakeClock();
    const manager = new RetryManager({ clock });
    const breaker = manager.getCircuitBreaker('svc', {
      failureThreshold: 1,
      recoveryTimeoutMs: 1000,
      successThreshold: 2,
    });
    await breaker.execute(() => Promise.reject(transient(0))).catch(() => undefined);
    await expect(retry(() => 'x', { manager, circuitBreaker: 'svc', clock })).rejects.toBeInstanceOf(
      CircuitOpenError,
    );
    await clock.advance(1000);
    await expect(retry(async () => 'a', { manager, circuitBreaker: 'svc', clock })).resolves.toBe('a');
    expect(breaker.state).toBe('half_open');
    await expect(retry(() => 'b', { manager, circuitBreaker: 'svc', clock })).resolves.toBe('b');
    expect(breaker.state).toBe('closed');
  });

  it('a trial failure inside retry reopens the breaker and ends the run with CircuitOpenError', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('svc', { failureThreshold: 1, recoveryTimeoutMs: 1000 }, { clock });
    await breaker.execute(() => Promise.reject(transient(0))).catch(() => undefined);
    await clock.advance(1000);
    const fn = vi.fn(async () => {
      throw transient(1);
    });
    const outcome = retry(fn, { ...base(clock), circuitBreaker: breaker, maxAttempts: 5 }).catch(
      (e: unknown) => e,
    );
    await clock.runAll();
    expect(await outcome).toBeInstanceOf(CircuitOpenError);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(breaker.state).toBe('open');
  });

  it('never throws synchronously, even for bad options or a throwing fn', () => {
    expect(() => retry(() => 1, { maxAttempts: -1 }).catch(() => undefined)).not.toThrow();
    const breaker = new CircuitBreaker('sync-throw');
    const run = retry(
      () => {
        throw new ValidationError('x');
      },
      { circuitBreaker: breaker },
    );
    expect(run).toBeInstanceOf(Promise);
    return expect(run).rejects.toBeInstanceOf(ValidationError);
  });
});
