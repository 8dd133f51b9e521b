import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MinerSample } from '../miners/MinerSample.js';
import type { MinerView } from '../monitor/types.js';
import type { AlertRecord } from '../storage/Storage.js';
import { appendSpark, applyRow, Store } from './store.js';

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
    tags: [],
    hasCredentials: false,
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
    store.requestSparks(['a']);
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

describe('Store.applyChanges (the live stream)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    // The API resolves its paths against the page's base URI; the node test has no page.
    Object.assign(globalThis, { document: { baseURI: 'http://127.0.0.1/' } });
    vi.spyOn(globalThis, 'fetch').mockImplementation(() =>
      Promise.reject(new Error('no network in unit tests')),
    );
  });
  afterEach(() => {
    vi.restoreAllMocks();
    Reflect.deleteProperty(globalThis, 'document');
    vi.useRealTimers();
  });

  it('patches the miners a batch names, by the numbers of hello and ids, in one new list', () => {
    const store = new Store(() => 9000);
    store.update({ miners: [miner('a', 'alpha'), miner('b', 'bravo'), miner('c', 'charlie')] });
    store.hello(['a', null]);
    const before = store.state.miners;
    store.applyChanges({
      at: 10_000,
      ids: { 2: 'c' },
      m: { 0: { t: 500, h: 1200, w: 15, u: 60 }, 2: { s: 'offline', sr: 'no answer' } },
    });
    const [a, b, c] = store.state.miners;
    expect(store.state.miners).not.toBe(before);
    expect(a?.lastSample).toMatchObject({ timestamp: 9500, hashrateGhs: 1200, powerW: 15, uptimeS: 60 });
    expect(a?.lastSeenAt).toBe(9500);
    expect(b).toBe(before[1]);
    expect(c?.status).toBe('offline');
    expect(c?.statusReason).toBe('no answer');
    expect(store.state.lastEventAt).toBe(9000);
  });

  it('counts uptime on from the last one sent when a row carries none', () => {
    const m = applyRow(miner('a', 'alpha'), { t: 0, u: 100 }, 1_000_000);
    expect(applyRow(m, { t: 0, h: 1 }, 1_010_000).lastSample?.uptimeS).toBe(110);
  });

  it('keeps a newer live sample when a slower list read brings an older one', async () => {
    const store = new Store(() => 0);
    const listed = { ...miner('a', 'alpha'), lastSample: sample(1000, 100) };
    store.update({ miners: [listed] });
    store.hello(['a']);
    store.applyChanges({ at: 5000, m: { 0: { t: 0, h: 700 } } });
    vi.mocked(fetch).mockResolvedValueOnce(
      new Response(JSON.stringify({ miners: [listed, miner('b', 'bravo')] }), {
        headers: { 'content-type': 'application/json' },
      }),
    );
    await store.refresh('miners');
    expect(store.state.miners.map((m) => m.id)).toEqual(['a', 'b']);
    expect(store.state.miners[0]?.lastSample?.hashrateGhs).toBe(700);
  });

  it('refetches the list when a batch names a miner it does not hold', () => {
    const store = new Store();
    store.update({ miners: [miner('a', 'alpha')] });
    store.applyChanges({ at: 1, ids: { 0: 'zz' }, m: { 0: { t: 0, h: 1 } } });
    vi.advanceTimersByTime(600);
    expect(fetch).toHaveBeenCalledWith(expect.stringContaining('api/miners'), expect.anything());
  });

  it('keeps sparklines only for miners shown lately, and grows them from the stream', () => {
    const store = new Store(() => 0);
    const miners = Array.from({ length: 400 }, (_, i) => miner(`m${i}`, `m${i}`));
    store.update({ miners });
    store.hello(miners.map((m) => m.id));
    store.requestSparks(miners.slice(0, 300).map((m) => m.id));
    store.requestSparks(miners.slice(300).map((m) => m.id));
    expect(Object.keys(store.state.sparks)).toHaveLength(300);
    expect(store.state.sparks.m0).toBeUndefined();
    expect(store.state.sparks.m399).toEqual([]);
    store.applyChanges({ at: 10_000, m: { 399: { t: 0, h: 5 }, 0: { t: 0, h: 6 } } });
    expect(store.state.sparks.m399).toEqual([{ t: 10_000, v: 5 }]);
    expect(store.state.sparks.m0).toBeUndefined();
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
