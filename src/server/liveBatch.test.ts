import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sample } from '../../test/server/fakes.js';
import { LiveBatch, type LiveChanges } from './liveBatch.js';

const T0 = 1_790_000_000_000;

function take(batch: LiveBatch, at: number): LiveChanges {
  const text = batch.take(at);
  expect(text).not.toBeNull();
  return JSON.parse(text!) as LiveChanges;
}

describe('LiveBatch', () => {
  it('sends nothing when nothing happened', () => {
    expect(new LiveBatch().take(T0)).toBeNull();
  });

  it('numbers a miner once, announces the number, and keeps only its newest sample of a batch', () => {
    const batch = new LiveBatch();
    batch.add({ type: 'sample', minerId: 'a', sample: sample({ timestamp: T0 - 900, hashrateGhs: 1 }) });
    batch.add({ type: 'sample', minerId: 'a', sample: sample({ timestamp: T0 - 400, hashrateGhs: 2 }) });
    const changes = take(batch, T0);
    expect(changes.at).toBe(T0);
    expect(changes.ids).toEqual({ 0: 'a' });
    expect(changes.m?.[0]).toMatchObject({ t: 400, h: 2, x: 1250, c: 58, v: 60, w: 18, a: 1000, r: 3 });
    expect(changes.m?.[0]?.u).toBe(3600);
    expect(JSON.parse(batch.hello())).toEqual({ ids: ['a'] });
  });

  it('sends only the fields that changed, and uptime only when it jumps', () => {
    const batch = new LiveBatch();
    batch.add({ type: 'sample', minerId: 'a', sample: sample({ timestamp: T0, uptimeS: 100 }) });
    take(batch, T0);
    // Ten seconds on: uptime followed the clock, only hashrate and shares moved.
    batch.add({
      type: 'sample',
      minerId: 'a',
      sample: sample({ timestamp: T0 + 10_000, uptimeS: 110, hashrateGhs: 1210.04, sharesAccepted: 1004 }),
    });
    let changes = take(batch, T0 + 10_500);
    expect(changes.ids).toBeUndefined();
    expect(changes.m?.[0]).toEqual({ t: 500, h: 1210, a: 1004 });
    // A reboot: uptime starts again, and it is sent.
    batch.add({
      type: 'sample',
      minerId: 'a',
      sample: sample({ timestamp: T0 + 20_000, uptimeS: 3, hashrateGhs: 1210.04, sharesAccepted: 1004 }),
    });
    changes = take(batch, T0 + 20_000);
    expect(changes.m?.[0]).toEqual({ t: 0, u: 3 });
  });

  it('says when a device stops reporting a field, with null', () => {
    const batch = new LiveBatch();
    batch.add({ type: 'sample', minerId: 'a', sample: sample({ timestamp: T0 }) });
    take(batch, T0);
    batch.add({ type: 'sample', minerId: 'a', sample: sample({ timestamp: T0 + 1, powerW: null }) });
    expect(take(batch, T0 + 1).m?.[0]).toEqual({ t: 0, w: null });
  });

  it('folds status changes and the miner breaker into rows; other events pass whole; the log is not streamed', () => {
    const batch = new LiveBatch();
    batch.add({ type: 'status', minerId: 'a', from: 'online', to: 'offline', reason: 'no answer', at: T0 });
    batch.add({ type: 'breaker', name: 'miner_operations:a', from: 'closed', to: 'open', at: T0 });
    batch.add({ type: 'breaker', name: 'database', from: 'closed', to: 'open', at: T0 });
    batch.add({ type: 'miner', action: 'added', minerId: 'b' });
    batch.add({
      type: 'event',
      event: { minerId: 'a', type: 'offline', severity: 'warning', message: 'x', timestamp: T0, data: {} },
    });
    const changes = take(batch, T0);
    expect(changes.m?.[0]).toEqual({ s: 'offline', sr: 'no answer', k: 'open' });
    expect(changes.e).toEqual([
      { type: 'breaker', name: 'database', from: 'closed', to: 'open', at: T0 },
      { type: 'miner', action: 'added', minerId: 'b' },
    ]);
  });

  it('sends every field again after resetSent, for a client that just connected', () => {
    const batch = new LiveBatch();
    batch.add({ type: 'sample', minerId: 'a', sample: sample({ timestamp: T0 }) });
    take(batch, T0);
    batch.resetSent();
    batch.add({ type: 'sample', minerId: 'a', sample: sample({ timestamp: T0 + 1 }) });
    expect(Object.keys(take(batch, T0 + 1).m?.[0] ?? {}).sort()).toEqual(
      ['a', 'b', 'c', 'd', 'h', 'r', 't', 'u', 'v', 'w', 'x'].sort(),
    );
  });

  it('costs under 100 bytes per miner update for a fleet of 10,000 whose readings move every poll', () => {
    const batch = new LiveBatch();
    const ids = Array.from({ length: 10_000 }, () => randomUUID());
    const poll = (round: number) => {
      for (const [i, id] of ids.entries()) {
        batch.add({
          type: 'sample',
          minerId: id,
          sample: sample({
            timestamp: T0 + round * 10_000 + (i % 1000),
            uptimeS: 86_400 + round * 10,
            hashrateGhs: 1100 + ((i * 7 + round * 13) % 300) + 0.37,
            maxChipTemperatureC: 55 + ((i + round) % 10) + 0.25,
            vrTemperatureC: 60 + ((i + round * 3) % 9) + 0.5,
            powerW: 17 + ((i + round) % 5) + 0.31,
            sharesAccepted: 10_000 + round * 3 + i,
          }),
        });
      }
      return batch.take(T0 + round * 10_000 + 1000)!;
    };
    poll(0);
    const bytes = Buffer.byteLength(poll(1));
    expect(bytes / ids.length).toBeLessThan(100);
  });
});
