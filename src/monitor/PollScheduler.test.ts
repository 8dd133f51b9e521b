import { describe, expect, it } from 'vitest';
import { FakeClock } from '../resilience/testing.js';
import { checkIntervalMs, PollScheduler } from './PollScheduler.js';
import { timersFromClock } from './timers.js';

function setup(options: { maxConcurrent?: number; jitterRatio?: number; random?: () => number } = {}) {
  const clock = new FakeClock(1_000_000);
  const timers = timersFromClock(clock);
  const starts: { id: string; at: number }[] = [];
  const running = new Map<string, number>();
  let maxOverlap = 0;
  let globalRunning = 0;
  let maxGlobal = 0;
  const durations = new Map<string, number>();
  const scheduler = new PollScheduler(
    async (id) => {
      starts.push({ id, at: clock.now() });
      running.set(id, (running.get(id) ?? 0) + 1);
      globalRunning += 1;
      maxGlobal = Math.max(maxGlobal, globalRunning);
      maxOverlap = Math.max(maxOverlap, running.get(id) ?? 0);
      await clock.sleep(durations.get(id) ?? 100);
      running.set(id, (running.get(id) ?? 1) - 1);
      globalRunning -= 1;
    },
    {
      timers,
      random: options.random ?? (() => 0.5),
      jitterRatio: options.jitterRatio ?? 0,
      initialSpreadRatio: 0,
      ...(options.maxConcurrent === undefined ? {} : { maxConcurrent: options.maxConcurrent }),
    },
  );
  return {
    clock,
    scheduler,
    starts,
    durations,
    overlap: () => maxOverlap,
    maxGlobal: () => maxGlobal,
  };
}

describe('PollScheduler', () => {
  it('times each poll from the START of the previous one', async () => {
    const t = setup();
    t.durations.set('a', 3000);
    t.scheduler.add('a', 10_000);
    t.scheduler.start();
    await t.clock.advance(35_000);
    const times = t.starts.map((s) => s.at - 1_000_000);
    expect(times).toEqual([0, 10_000, 20_000, 30_000]);
    await t.scheduler.stop();
  });

  it('never overlaps a miner with itself when a poll outlasts the interval', async () => {
    const t = setup();
    t.durations.set('slow', 25_000);
    t.scheduler.add('slow', 10_000);
    t.scheduler.start();
    await t.clock.advance(100_000);
    expect(t.overlap()).toBe(1);
    const times = t.starts.map((s) => s.at - 1_000_000);
    // Each poll starts right after the previous one ended, not every 10 s.
    expect(times).toEqual([0, 25_000, 50_000, 75_000, 100_000]);
    const stopping = t.scheduler.stop();
    await t.clock.advance(25_000);
    await stopping;
  });

  it('keeps jittered spacing within the configured bounds', async () => {
    let i = 0;
    const values = [0, 0.999, 0.25, 0.75, 0.5, 0.1, 0.9];
    const t = setup({ jitterRatio: 0.2, random: () => values[i++ % values.length] as number });
    t.durations.set('a', 10);
    t.scheduler.add('a', 10_000);
    t.scheduler.start();
    await t.clock.advance(200_000);
    const gaps = t.starts.slice(1).map((s, k) => s.at - (t.starts[k]?.at ?? 0));
    expect(gaps.length).toBeGreaterThan(10);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(8000);
      expect(gap).toBeLessThanOrEqual(12_000);
    }
    expect(new Set(gaps).size).toBeGreaterThan(1);
    await t.scheduler.stop();
  });

  it('caps polls in flight across miners and records the queueing as lateness', async () => {
    const t = setup({ maxConcurrent: 2 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      t.durations.set(id, 1000);
      t.scheduler.add(id, 10_000);
    }
    t.scheduler.start();
    await t.clock.advance(9000);
    expect(t.maxGlobal()).toBe(2);
    expect(t.starts).toHaveLength(5);
    const stats = t.scheduler.stats();
    expect(stats.lateness.count).toBe(5);
    // Two wait 1 s and one waits 2 s for a free slot.
    expect(stats.lateness.maxMs).toBe(2000);
    await t.scheduler.stop();
  });

  it('spreads first polls over the interval', async () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    let r = 0;
    const scheduler = new PollScheduler(
      () => {
        seen.push(clock.now());
      },
      { timers: timersFromClock(clock), random: () => (r++ % 10) / 10, jitterRatio: 0 },
    );
    for (let k = 0; k < 10; k += 1) scheduler.add(`m${k}`, 10_000);
    scheduler.start();
    await clock.advance(9999);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    await scheduler.stop();
  });

  it('honours a poll asking for its next run sooner (restart confirmation)', async () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    const scheduler = new PollScheduler(
      () => {
        seen.push(clock.now());
        return seen.length < 3 ? { nextDelayMs: 2000 } : undefined;
      },
      { timers: timersFromClock(clock), jitterRatio: 0, initialSpreadRatio: 0 },
    );
    scheduler.add('a', 10_000);
    scheduler.start();
    await clock.advance(20_000);
    expect(seen).toEqual([0, 2000, 4000, 14_000]);
    await scheduler.stop();
  });

  it('removes a miner and polls one now on request', async () => {
    const t = setup();
    t.scheduler.add('a', 10_000);
    t.scheduler.add('b', 10_000);
    t.scheduler.start();
    await t.clock.advance(1000);
    t.scheduler.remove('b');
    t.scheduler.pollNow('a');
    await t.clock.advance(1000);
    const ids = t.starts.map((s) => s.id);
    expect(ids.filter((id) => id === 'a')).toHaveLength(2);
    expect(ids.filter((id) => id === 'b')).toHaveLength(1);
    await t.clock.advance(30_000);
    expect(t.starts.filter((s) => s.id === 'b')).toHaveLength(1);
    await t.scheduler.stop();
  });

  it('stop waits for polls in flight and leaves no timer armed', async () => {
    const t = setup();
    t.durations.set('a', 5000);
    t.scheduler.add('a', 10_000);
    t.scheduler.start();
    await t.clock.advance(1000);
    let stopped = false;
    const stopping = t.scheduler.stop().then(() => {
      stopped = true;
    });
    await t.clock.advance(1000);
    expect(stopped).toBe(false);
    await t.clock.advance(4000);
    await stopping;
    expect(stopped).toBe(true);
    expect(t.clock.pendingSleeps).toBe(0);
  });

  it('aborts polls that outlast the stop grace period', async () => {
    const clock = new FakeClock(0);
    let aborted = false;
    const scheduler = new PollScheduler(
      (_id, signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
      { timers: timersFromClock(clock), initialSpreadRatio: 0 },
    );
    scheduler.add('hang', 10_000);
    scheduler.start();
    await clock.advance(10);
    const stopping = scheduler.stop(3000);
    await clock.advance(3000);
    await stopping;
    expect(aborted).toBe(true);
  });

  it('rejects bad options with the option name', () => {
    const timers = timersFromClock(new FakeClock());
    expect(() => new PollScheduler(() => undefined, { timers, jitterRatio: 2 })).toThrow(/jitterRatio/);
    expect(() => new PollScheduler(() => undefined, { timers, maxConcurrent: 0 })).toThrow(/capacity/);
    const scheduler = new PollScheduler(() => undefined, { timers });
    expect(() => scheduler.add('a', 5)).toThrow(/intervalMs/);
  });
});

describe('checkIntervalMs', () => {
  it('refuses intervals a timer cannot hold, which would otherwise fire after 1 ms', () => {
    expect(checkIntervalMs(10_000)).toBe(10_000);
    expect(() => checkIntervalMs(3e9)).toThrow(/intervalMs.*3000000000/);
    expect(() => checkIntervalMs(50)).toThrow(RangeError);
    expect(() => checkIntervalMs(Number.NaN)).toThrow(RangeError);
  });
});
