import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MinerSample } from '../miners/MinerSample.js';
import type { MinerView } from '../monitor/types.js';
import type { AlertRecord } from '../storage/Storage.js';
import { appendSpark, Store } from './store.js';

function miner(id: string, name: string): MinerView {
  return {
    id,
    name,
    host: '10.0.0.1',
    port: 80,
    kind: 'axeos',
    mac: null,
    hostname: null,
    enabled: true,
    intervalMs: 5000,
    status: 'online',
    statusReason: null,
    lastSeenAt: null,
    lastPollAt: null,
    lastError: null,
    lastSample: null,
    breaker: null,
    bestDifficulty: null,
    restart: null,
    createdAt: 0,
  };
}

function sample(timestamp: number, hashrateGhs: number): MinerSample {
  return { timestamp, hashrateGhs } as unknown as MinerSample;
}

function alert(key: string, clearedAt: number | null): AlertRecord {
  return {
    key,
    minerId: 'a',
    condition: 'offline',
    severity: 'critical',
    message: 'a is offline',
    openedAt: 1000,
    lastNotifiedAt: null,
    notifications: 0,
    clearedAt,
  };
}

describe('Store.apply', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    // Scheduled re-reads must not reach a network in unit tests.
    vi.spyOn(globalThis, 'fetch').mockImplementation(() =>
      Promise.reject(new Error('no network in unit tests')),
    );
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('patches a miner with its new sample and grows its sparkline', () => {
    const store = new Store(() => 5000);
    store.update({ miners: [miner('a', 'alpha'), miner('b', 'bravo')] });
    store.apply({ type: 'sample', minerId: 'a', sample: sample(1000, 500) });
    store.apply({ type: 'sample', minerId: 'a', sample: sample(2000, 510) });
    const a = store.state.miners.find((m) => m.id === 'a');
    expect(a?.lastSample?.hashrateGhs).toBe(510);
    expect(a?.lastSeenAt).toBe(2000);
    expect(store.state.sparks.a?.map((p) => p.v)).toEqual([500, 510]);
    expect(store.state.miners.find((m) => m.id === 'b')?.lastSample).toBeNull();
    expect(store.state.lastEventAt).toBe(5000);
  });

  it('applies status changes and restarts to the right miner', () => {
    const store = new Store();
    store.update({ miners: [miner('a', 'alpha')] });
    store.apply({ type: 'status', minerId: 'a', from: 'online', to: 'offline', reason: 'no answer', at: 1 });
    expect(store.state.miners[0]?.status).toBe('offline');
    expect(store.state.miners[0]?.statusReason).toBe('no answer');
    const restart = {
      minerId: 'a',
      state: 'restarting',
      requestedAt: 1,
      confirmedAt: null,
      detail: 'sent',
    } as const;
    store.apply({ type: 'restart', restart });
    expect(store.state.miners[0]?.restart).toEqual(restart);
  });

  it('replaces an alert by key instead of listing it twice', () => {
    const store = new Store();
    store.apply({ type: 'alert', action: 'opened', alert: alert('offline:a', null) });
    store.apply({ type: 'alert', action: 'cleared', alert: alert('offline:a', 2000) });
    expect(store.state.alerts).toHaveLength(1);
    expect(store.state.alerts[0]?.clearedAt).toBe(2000);
  });

  it('coalesces renders: listeners hear one notification for a burst of events', () => {
    const store = new Store();
    store.update({ miners: [miner('a', 'alpha')] });
    vi.advanceTimersByTime(200);
    const listener = vi.fn();
    store.subscribe(listener);
    for (let i = 1; i <= 50; i += 1) store.apply({ type: 'sample', minerId: 'a', sample: sample(i, i) });
    expect(listener).not.toHaveBeenCalled();
    vi.advanceTimersByTime(150);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('appendSpark', () => {
  it('keeps only the last hour', () => {
    const hour = 3_600_000;
    let points = appendSpark(undefined, { t: 0, v: 1 });
    points = appendSpark(points, { t: hour / 2, v: 2 });
    points = appendSpark(points, { t: hour + 1, v: 3 });
    expect(points.map((p) => p.v)).toEqual([2, 3]);
  });
  it('ignores a late sample rather than dropping newer history', () => {
    const points = appendSpark(appendSpark(undefined, { t: 10, v: 1 }), { t: 20, v: 2 });
    expect(appendSpark(points, { t: 15, v: 9 })).toBe(points);
  });
});
