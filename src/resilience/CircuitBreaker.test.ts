import { describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, type StateChangeEvent } from './CircuitBreaker.js';
import { CircuitOpenError, isCircuitOpenError, ValidationError } from './errors.js';
import { FakeClock } from './testing.js';

const T0 = 1_700_000_000_000;
const boom = (): never => {
  throw new Error('transient');
};

function setup(config = {}, extra = {}) {
  const clock = new FakeClock(T0);
  const breaker = new CircuitBreaker(
    'b',
    { failureThreshold: 3, recoveryTimeoutMs: 1000, successThreshold: 2, ...config },
    { clock, ...extra },
  );
  const events: StateChangeEvent[] = [];
  breaker.onStateChange((event) => events.push(event));
  return { clock, breaker, events };
}

async function fail(breaker: CircuitBreaker, times = 1): Promise<void> {
  for (let i = 0; i < times; i += 1) await breaker.execute(boom).catch(() => undefined);
}

describe('CircuitBreaker: closed', () => {
  it('starts closed with the default config', () => {
    const breaker = new CircuitBreaker('x');
    expect(breaker.state).toBe('closed');
    expect(breaker.stats().config).toEqual({
      failureThreshold: 5,
      recoveryTimeoutMs: 60_000,
      successThreshold: 3,
    });
  });

  it('passes values and errors through unchanged', async () => {
    const { breaker } = setup();
    await expect(breaker.execute(() => 42)).resolves.toBe(42);
    await expect(breaker.execute(async () => 'a')).resolves.toBe('a');
    const error = new Error('x');
    await expect(
      breaker.execute(() => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it('opens after failureThreshold consecutive failures, not before', async () => {
    const { breaker, events } = setup();
    await fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.stats().failureCount).toBe(2);
    await fail(breaker);
    expect(breaker.state).toBe('open');
    expect(events).toEqual([{ name: 'b', from: 'closed', to: 'open', at: T0, reason: 'failure_threshold' }]);
  });

  it('a success zeroes the consecutive count', async () => {
    const { breaker } = setup();
    await fail(breaker, 2);
    await breaker.execute(() => 'ok');
    expect(breaker.stats().failureCount).toBe(0);
    await fail(breaker, 2);
    expect(breaker.state).toBe('closed');
  });

  it('does not record errors its isFailure rejects (default: isRetryable)', async () => {
    const { breaker } = setup();
    for (let i = 0; i < 5; i += 1) {
      await breaker
        .execute(() => {
          throw new ValidationError('bad');
        })
        .catch(() => undefined);
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.stats().failures).toBe(0);
    expect(breaker.stats().lastFailureTime).toBeNull();
  });

  it('uses a custom isFailure, independent of retry classification', async () => {
    const { breaker } = setup({}, { isFailure: (error: unknown) => error instanceof ValidationError });
    await fail(breaker, 5);
    expect(breaker.state).toBe('closed');
    for (let i = 0; i < 3; i += 1) {
      await breaker
        .execute(() => {
          throw new ValidationError('bad');
        })
        .catch(() => undefined);
    }
    expect(breaker.state).toBe('open');
  });
});

describe('CircuitBreaker: open', () => {
  it('refuses at once with CircuitOpenError as a rejected promise, without calling fn', async () => {
    const { clock, breaker } = setup();
    await fail(breaker, 3);
    await clock.advance(400);
    let called = false;
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = breaker.execute(() => {
        called = true;
      });
    }).not.toThrow();
    const error = await promise?.catch((e: unknown) => e);
    expect(called).toBe(false);
    expect(isCircuitOpenError(error)).toBe(true);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as CircuitOpenError).breakerName).toBe('b');
    expect((error as CircuitOpenError).retryAfterMs).toBe(600);
    expect(breaker.stats().refusals).toBe(1);
  });

  it('reports half_open once now - openedAt >= recoveryTimeoutMs, without any timer', async () => {
    const { clock, breaker, events } = setup();
    await fail(breaker, 3);
    await clock.advance(999);
    expect(breaker.state).toBe('open');
    expect(breaker.stats().nextAttemptAt).toBe(T0 + 999 - 999 + 1000);
    await clock.advance(1);
    expect(clock.pendingSleeps).toBe(0);
    expect(breaker.state).toBe('half_open');
    expect(events.at(-1)).toEqual({
      name: 'b',
      from: 'open',
      to: 'half_open',
      at: T0 + 1000,
      reason: 'recovery_timeout',
    });
    expect(breaker.stats().nextAttemptAt).toBeNull();
  });
});

describe('CircuitBreaker: half-open', () => {
  async function halfOpen(config = {}, extra = {}) {
    const context = setup(config, extra);
    await fail(context.breaker, 3);
    await context.clock.advance(1000);
    expect(context.breaker.state).toBe('half_open');
    return context;
  }

  it('closes after successThreshold trial successes', async () => {
    const { breaker, events } = await halfOpen();
    await breaker.execute(() => 1);
    expect(breaker.state).toBe('half_open');
    expect(breaker.stats().successCount).toBe(1);
    await breaker.execute(() => 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.stats()).toMatchObject({ failureCount: 0, successCount: 0 });
    expect(events.at(-1)).toMatchObject({ from: 'half_open', to: 'closed', reason: 'success_threshold' });
  });

  it('reopens on any trial failure, with a fresh recovery time', async () => {
    const { clock, breaker, events } = await halfOpen();
    await breaker.execute(() => 1);
    await clock.advance(5);
    await fail(breaker);
    expect(breaker.state).toBe('open');
    expect(breaker.stats().openedAt).toBe(T0 + 1005);
    expect(breaker.stats().nextAttemptAt).toBe(T0 + 2005);
    expect(events.at(-1)).toMatchObject({ from: 'half_open', to: 'open', reason: 'half_open_failure' });
  });

  it('lets one trial call run at a time by default and refuses the rest at once', async () => {
    const { breaker } = await halfOpen();
    let release: (value: string) => void = () => undefined;
    const trial = breaker.execute(() => new Promise<string>((resolve) => (release = resolve)));
    const refused = await breaker.execute(() => 'second').catch((e: unknown) => e);
    expect(isCircuitOpenError(refused)).toBe(true);
    expect((refused as CircuitOpenError).retryAfterMs).toBe(0);
    release('first');
    await expect(trial).resolves.toBe('first');
    await expect(breaker.execute(() => 'third')).resolves.toBe('third');
    expect(breaker.state).toBe('closed');
  });

  it('bounds concurrent trials by halfOpenMaxCalls', async () => {
    const { breaker } = await halfOpen({ successThreshold: 5 }, { halfOpenMaxCalls: 2 });
    const releases: (() => void)[] = [];
    const pending = () => breaker.execute(() => new Promise<void>((resolve) => releases.push(resolve)));
    const a = pending();
    const b = pending();
    const c = await breaker.execute(() => 'c').catch((e: unknown) => e);
    expect(isCircuitOpenError(c)).toBe(true);
    expect(breaker.stats().inFlight).toBe(2);
    for (const release of releases) release();
    await Promise.all([a, b]);
    expect(breaker.stats().inFlight).toBe(0);
    await expect(breaker.execute(() => 'd')).resolves.toBe('d');
  });

  it('a trial that ends in a non-failure error frees its slot and counts nothing', async () => {
    const { breaker } = await halfOpen();
    await breaker
      .execute(() => {
        throw new ValidationError('x');
      })
      .catch(() => undefined);
    expect(breaker.state).toBe('half_open');
    expect(breaker.stats().successCount).toBe(0);
    await expect(breaker.execute(() => 'ok')).resolves.toBe('ok');
  });

  it('ignores the late answer of a call admitted before the state changed', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1 });
    let release: () => void = () => undefined;
    const slow = breaker.execute(() => new Promise<void>((resolve) => (release = resolve)));
    await fail(breaker);
    expect(breaker.state).toBe('open');
    await clock.advance(1000);
    expect(breaker.state).toBe('half_open');
    release();
    await slow;
    // The old success is not a trial success.
    expect(breaker.stats().successCount).toBe(0);
    expect(breaker.state).toBe('half_open');
  });
});

describe('CircuitBreaker: reset, stats, events', () => {
  it('reset closes an open breaker and clears counts but keeps totals', async () => {
    const { breaker, events } = setup();
    await fail(breaker, 3);
    breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(breaker.stats()).toMatchObject({ failureCount: 0, successCount: 0, failures: 3, calls: 3 });
    expect(events.at(-1)).toMatchObject({ from: 'open', to: 'closed', reason: 'reset' });
    await expect(breaker.execute(() => 'ok')).resolves.toBe('ok');
  });

  it('reset of a closed breaker emits nothing', async () => {
    const { breaker, events } = setup();
    await fail(breaker, 1);
    breaker.reset();
    expect(events).toEqual([]);
    expect(breaker.stats().failureCount).toBe(0);
  });

  it('stats carry every counter and times from the clock', async () => {
    const { clock, breaker } = setup();
    await breaker.execute(() => 1);
    await clock.advance(10);
    await fail(breaker, 3);
    await breaker.execute(() => 1).catch(() => undefined);
    breaker.recordRetry();
    breaker.recordGiveUp();
    expect(breaker.stats()).toEqual({
      name: 'b',
      state: 'open',
      failureCount: 3,
      successCount: 0,
      lastFailureTime: T0 + 10,
      lastFailure: { message: 'transient', code: null, at: T0 + 10 },
      config: { failureThreshold: 3, recoveryTimeoutMs: 1000, successThreshold: 2 },
      halfOpenMaxCalls: 1,
      calls: 4,
      failures: 3,
      successes: 1,
      refusals: 1,
      retries: 1,
      giveUps: 1,
      inFlight: 0,
      openedAt: T0 + 10,
      nextAttemptAt: T0 + 1010,
      lastStateChangeAt: T0 + 10,
      lastActivityAt: T0 + 10,
    });
  });

  it('unsubscribe stops events; a throwing listener is reported, not swallowed, and breaks nothing', async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    const seen: string[] = [];
    const off = breaker.onStateChange((event) => seen.push(event.to));
    const offBad = breaker.onStateChange(() => {
      throw new Error('listener bug');
    });
    const reported: (() => void)[] = [];
    const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => {
      reported.push(callback);
    });
    try {
      await fail(breaker);
    } finally {
      spy.mockRestore();
    }
    expect(breaker.state).toBe('open');
    expect(seen).toEqual(['open']);
    expect(reported).toHaveLength(1);
    expect(() => reported[0]?.()).toThrow('listener bug');
    off();
    offBad();
    breaker.reset();
    expect(seen).toEqual(['open']);
  });

  it('validates its arguments', () => {
    expect(() => new CircuitBreaker('')).toThrow(/name/);
    expect(() => new CircuitBreaker('x', { failureThreshold: 0 })).toThrow(/failureThreshold/);
    expect(() => new CircuitBreaker('x', {}, { halfOpenMaxCalls: 0 })).toThrow(/halfOpenMaxCalls/);
  });
});

describe('CircuitBreaker: executeSync', () => {
  it('runs sync functions and records outcomes', () => {
    const { breaker } = setup();
    expect(breaker.executeSync(() => 7)).toBe(7);
    for (let i = 0; i < 3; i += 1) expect(() => breaker.executeSync(boom)).toThrow('transient');
    expect(breaker.state).toBe('open');
    expect(() => breaker.executeSync(() => 1)).toThrow(CircuitOpenError);
  });

  it('records the outcome of a returned promise when it settles', async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    const result = breaker.executeSync(() => Promise.reject(new Error('late')));
    expect(breaker.state).toBe('closed');
    await expect(result).rejects.toThrow('late');
    expect(breaker.state).toBe('open');
  });
});

describe('CircuitBreaker: persistence', () => {
  it('round-trips through JSON; an open breaker stays open until its recovery time', async () => {
    const { clock, breaker } = setup();
    await fail(breaker, 3);
    await clock.advance(300);
    const saved = JSON.parse(JSON.stringify(breaker));
    const later = new FakeClock(T0 + 500);
    const restored = CircuitBreaker.fromJSON(saved, { clock: later });
    expect(restored.name).toBe('b');
    expect(restored.state).toBe('open');
    expect(restored.stats()).toMatchObject({
      failureCount: 3,
      failures: 3,
      openedAt: T0,
      nextAttemptAt: T0 + 1000,
    });
    await expect(restored.execute(() => 1)).rejects.toBeInstanceOf(CircuitOpenError);
    await later.advance(500);
    expect(restored.state).toBe('half_open');
  });

  it('clamps an openedAt in the future to now', () => {
    const { breaker } = setup();
    const saved = { ...breaker.toJSON(), state: 'open' as const, openedAt: T0 + 10_000_000 };
    const restored = CircuitBreaker.fromJSON(saved, { clock: new FakeClock(T0) });
    expect(restored.stats().openedAt).toBe(T0);
  });

  it('lets options override the saved config', () => {
    const { breaker } = setup();
    const restored = CircuitBreaker.fromJSON(breaker.toJSON(), { config: { failureThreshold: 9 } });
    expect(restored.config).toEqual({ failureThreshold: 9, recoveryTimeoutMs: 1000, successThreshold: 2 });
  });

  it('rejects a malformed snapshot, naming the field', () => {
    const good = setup().breaker.toJSON();
    expect(() => CircuitBreaker.fromJSON({ ...good, version: 2 } as never)).toThrow(/`version`/);
    expect(() => CircuitBreaker.fromJSON({ ...good, state: 'ajar' } as never)).toThrow(/`state`/);
    expect(() => CircuitBreaker.fromJSON({ ...good, failures: -1 })).toThrow(/`failures`/);
    expect(() => CircuitBreaker.fromJSON({ ...good, openedAt: 'x' } as never)).toThrow(/`openedAt`/);
    expect(() => CircuitBreaker.fromJSON(null as never)).toThrow(TypeError);
  });
});

describe('CircuitBreaker: why it refuses, across a restart', () => {
  it('a restored open breaker still names the failure that opened it', async () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });
    const real = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:80'), { code: 'ECONNREFUSED' });
    await breaker.execute(() => Promise.reject(real)).catch(() => undefined);
    const saved = JSON.parse(JSON.stringify(breaker.toJSON()));
    expect(saved.lastFailure).toEqual({ message: real.message, code: 'ECONNREFUSED', at: T0 });

    const restored = new CircuitBreaker('b', { failureThreshold: 1, recoveryTimeoutMs: 1000 }, { clock });
    restored.restore(saved);
    const refusal = (await restored.execute(() => 1).catch((error: unknown) => error)) as CircuitOpenError;
    expect(isCircuitOpenError(refusal)).toBe(true);
    expect(refusal.cause).toMatchObject({ message: real.message, code: 'ECONNREFUSED' });
    expect(restored.stats().lastFailure).toEqual(saved.lastFailure);
  });

  it('restore() refuses a malformed lastFailure with a TypeError naming it', () => {
    const snapshot = { ...new CircuitBreaker('b').toJSON(), lastFailure: { message: 1 } };
    expect(() => new CircuitBreaker('b').restore(snapshot as never)).toThrow(/`lastFailure`/);
  });
});
