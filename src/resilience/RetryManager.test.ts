import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type StateChangeEvent } from './CircuitBreaker.js';
import { getRetryStats, RetryManager, resetCircuitBreaker, retryManager } from './RetryManager.js';
import { FakeClock } from './testing.js';

const boom = (): never => {
  throw new Error('down');
};

function setup(maxIdleMs?: number) {
  const clock = new FakeClock(1_000_000);
  const manager = new RetryManager(maxIdleMs === undefined ? { clock } : { clock, maxIdleMs });
  return { clock, manager };
}

describe('RetryManager registry', () => {
  it('creates a breaker once per name, with the config of the first call', () => {
    const { manager } = setup();
    const a = manager.getCircuitBreaker('a', { failureThreshold: 2 });
    expect(manager.getCircuitBreaker('a', { failureThreshold: 9 })).toBe(a);
    expect(a.config.failureThreshold).toBe(2);
    expect(manager.has('a')).toBe(true);
    expect(manager.has('b')).toBe(false);
    expect(manager.size).toBe(1);
    expect(manager.names()).toEqual(['a']);
  });

  it('breakers it creates read time from its clock', async () => {
    const { clock, manager } = setup();
    const breaker = manager.getCircuitBreaker('a', { failureThreshold: 1, recoveryTimeoutMs: 100 });
    await breaker.execute(boom).catch(() => undefined);
    expect(breaker.stats().openedAt).toBe(1_000_000);
    await clock.advance(100);
    expect(breaker.state).toBe('half_open');
  });

  it('getStats is a plain object name -> stats', async () => {
    const { manager } = setup();
    await manager.getCircuitBreaker('a').execute(() => 1);
    manager.getCircuitBreaker('b');
    const stats = manager.getStats();
    expect(Object.getPrototypeOf(stats)).toBe(Object.prototype);
    expect(Object.keys(stats)).toEqual(['a', 'b']);
    expect(stats.a).toMatchObject({ name: 'a', state: 'closed', calls: 1, successes: 1 });
  });

  it('reset(name) is true for a known breaker and false otherwise; resetAll closes all', async () => {
    const { manager } = setup();
    const a = manager.getCircuitBreaker('a', { failureThreshold: 1 });
    const b = manager.getCircuitBreaker('b', { failureThreshold: 1 });
    await a.execute(boom).catch(() => undefined);
    await b.execute(boom).catch(() => undefined);
    expect(manager.reset('a')).toBe(true);
    expect(a.state).toBe('closed');
    expect(manager.reset('nope')).toBe(false);
    expect(b.state).toBe('open');
    manager.resetAll();
    expect(b.state).toBe('closed');
  });

  it('forwards state changes of every breaker it holds, until unsubscribed', async () => {
    const { clock, manager } = setup();
    const events: StateChangeEvent[] = [];
    const off = manager.onStateChange((event) => events.push(event));
    const a = manager.getCircuitBreaker('a', { failureThreshold: 1, recoveryTimeoutMs: 50 });
    const b = manager.getCircuitBreaker('b', { failureThreshold: 1 });
    await a.execute(boom).catch(() => undefined);
    await b.execute(boom).catch(() => undefined);
    await clock.advance(50);
    expect(manager.getStats().a?.state).toBe('half_open');
    expect(events.map((e) => `${e.name}:${e.from}->${e.to}`)).toEqual([
      'a:closed->open',
      'b:closed->open',
      'a:open->half_open',
    ]);
    off();
    manager.resetAll();
    expect(events).toHaveLength(3);
  });

  it('validates maxIdleMs', () => {
    expect(() => new RetryManager({ maxIdleMs: -1 })).toThrow(/maxIdleMs/);
    expect(new RetryManager().maxIdleMs).toBe(600_000);
  });
});

describe('RetryManager eviction', () => {
  it('drops a closed, failure-free breaker idle for maxIdleMs, lazily', async () => {
    const { clock, manager } = setup(1000);
    await manager.getCircuitBreaker('idle').execute(() => 1);
    await clock.advance(999);
    manager.getCircuitBreaker('other');
    expect(manager.has('idle')).toBe(true);
    await clock.advance(1);
    expect(manager.has('idle')).toBe(true); // nothing swept yet: no timers
    expect(Object.keys(manager.getStats())).toEqual(['other']);
    expect(manager.has('idle')).toBe(false);
  });

  it('never drops an open or half-open breaker, one with failures counted, or one with a call in flight', async () => {
    const { clock, manager } = setup(1000);
    const open = manager.getCircuitBreaker('open', { failureThreshold: 1, recoveryTimeoutMs: 10 });
    await open.execute(boom).catch(() => undefined);
    await manager
      .getCircuitBreaker('failing', { failureThreshold: 5 })
      .execute(boom)
      .catch(() => undefined);
    let release: () => void = () => undefined;
    const busy = manager
      .getCircuitBreaker('busy')
      .execute(() => new Promise<void>((resolve) => (release = resolve)));
    await clock.advance(10_000);
    expect(open.state).toBe('half_open');
    expect(manager.evictIdle()).toEqual([]);
    expect(manager.names().sort()).toEqual(['busy', 'failing', 'open']);
    release();
    await busy;
    await clock.advance(1000);
    expect(manager.evictIdle()).toEqual(['busy']);
  });

  it('a call or a reset restarts the idle time', async () => {
    const { clock, manager } = setup(1000);
    const a = manager.getCircuitBreaker('a');
    await clock.advance(800);
    await a.execute(() => 1);
    await clock.advance(800);
    expect(manager.evictIdle()).toEqual([]);
    a.reset();
    await clock.advance(800);
    expect(manager.evictIdle()).toEqual([]);
    await clock.advance(200);
    expect(manager.evictIdle()).toEqual(['a']);
  });

  it('a never-used breaker is idle from its creation', async () => {
    const { clock, manager } = setup(1000);
    manager.getCircuitBreaker('a');
    await clock.advance(1000);
    expect(manager.evictIdle()).toEqual(['a']);
  });

  it('keeps the registry bounded under churn of keyed breakers', async () => {
    const { clock, manager } = setup(1000);
    for (let i = 0; i < 200; i += 1) {
      await manager.getCircuitBreaker(`miner_operations:${i}`).execute(() => 1);
      await clock.advance(100);
    }
    // Only breakers touched in the last maxIdleMs (+ one sweep interval) remain.
    expect(manager.size).toBeLessThanOrEqual(1000 / 100 + 1000 / 4 / 100 + 1);
  });

  it('takes back an evicted breaker that someone still holds once it changes state', async () => {
    const { clock, manager } = setup(1000);
    const held = manager.getCircuitBreaker('held', { failureThreshold: 1 });
    await clock.advance(1000);
    expect(manager.evictIdle()).toEqual(['held']);
    await held.execute(boom).catch(() => undefined);
    expect(manager.has('held')).toBe(true);
    expect(manager.getStats().held?.state).toBe('open');
  });

  it('maxIdleMs Infinity never evicts', async () => {
    const { clock, manager } = setup(Number.POSITIVE_INFINITY);
    manager.getCircuitBreaker('a');
    await clock.advance(1e12);
    manager.getCircuitBreaker('b');
    expect(manager.has('a')).toBe(true);
  });
});

describe('RetryManager persistence', () => {
  it('snapshot/restore keeps open breakers open across a restart', async () => {
    const { clock, manager } = setup();
    await manager
      .getCircuitBreaker('a', { failureThreshold: 1, recoveryTimeoutMs: 5000 })
      .execute(boom)
      .catch(() => undefined);
    manager.getCircuitBreaker('b');
    const saved = JSON.parse(JSON.stringify(manager.snapshot()));
    await clock.advance(1000);
    const next = new RetryManager({ clock });
    const events: StateChangeEvent[] = [];
    next.onStateChange((event) => events.push(event));
    next.restore(saved);
    expect(next.names()).toEqual(['a', 'b']);
    const a = next.getCircuitBreaker('a');
    expect(a).toBeInstanceOf(CircuitBreaker);
    expect(a.state).toBe('open');
    await clock.advance(4000);
    expect(a.state).toBe('half_open');
    expect(events.map((e) => e.to)).toEqual(['half_open']);
  });
});

describe('global registry', () => {
  it('getRetryStats and resetCircuitBreaker work on retryManager', async () => {
    const name = `global-test-${Math.random()}`;
    const breaker = retryManager.getCircuitBreaker(name, { failureThreshold: 1 });
    await breaker.execute(boom).catch(() => undefined);
    expect(getRetryStats()[name]?.state).toBe('open');
    expect(resetCircuitBreaker(name)).toBe(true);
    expect(getRetryStats()[name]?.state).toBe('closed');
    expect(resetCircuitBreaker(`${name}-missing`)).toBe(false);
    retryManager.delete(name);
  });
});
