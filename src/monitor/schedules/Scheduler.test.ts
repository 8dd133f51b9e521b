import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../resilience/testing.js';
import type { ActionRequest } from '../actions/Action.js';
import { type Schedule, Scheduler } from './Scheduler.js';

const night: Schedule = {
  name: 'night',
  at: '22:00',
  timeZone: 'UTC',
  action: 'pause',
  target: { tags: ['garage'] },
};
const morning: Schedule = { ...night, name: 'morning', at: '06:30', action: 'resume', days: ['mon'] };

let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.close();
});

describe('Scheduler', () => {
  it('starts each schedule’s action at its time on the fake clock, as the schedule', async () => {
    // Sunday 2026-12-06 21:00 UTC.
    const clock = new FakeClock(Date.UTC(2026, 11, 6, 21));
    const started: [ActionRequest, string][] = [];
    let n = 0;
    scheduler = new Scheduler({
      schedules: [night, morning],
      clock,
      startAction: (request, actor) => {
        started.push([request, actor]);
        return { id: `a${++n}` };
      },
    });
    scheduler.start();
    await clock.advance(0);
    expect(scheduler.list().map((s) => new Date(s.nextRunAt!).toISOString())).toEqual([
      '2026-12-06T22:00:00.000Z',
      '2026-12-07T06:30:00.000Z',
    ]);
    await clock.advance(3_600_000 - 1);
    expect(started).toEqual([]);
    await clock.advance(1);
    expect(started).toEqual([[{ action: 'pause', target: { tags: ['garage'] } }, 'schedule:night']]);
    await clock.advance(8.5 * 3_600_000);
    expect(started.map(([r, actor]) => [r.action, actor])).toEqual([
      ['pause', 'schedule:night'],
      ['resume', 'schedule:morning'],
    ]);
    const [nightView, morningView] = scheduler.list();
    expect(nightView!.lastRun).toEqual({ at: Date.UTC(2026, 11, 6, 22), actionId: 'a1', error: null });
    expect(new Date(nightView!.nextRunAt!).toISOString()).toBe('2026-12-07T22:00:00.000Z');
    // Monday only: next Monday.
    expect(new Date(morningView!.nextRunAt!).toISOString()).toBe('2026-12-14T06:30:00.000Z');
  });

  it('records a run that could not start, and runs again next time', async () => {
    const clock = new FakeClock(Date.UTC(2026, 11, 6, 21));
    const runs: string[] = [];
    scheduler = new Scheduler({
      schedules: [{ ...night, action: 'settings', profile: 'eco' }],
      clock,
      startAction: () => {
        throw new Error("profile 'eco' does not exist");
      },
      onRun: (s, run) => runs.push(`${s.name}: ${run.error}`),
    });
    scheduler.start();
    await clock.advance(3_600_000);
    await clock.advance(86_400_000);
    expect(runs).toEqual(["night: profile 'eco' does not exist", "night: profile 'eco' does not exist"]);
    expect(scheduler.list()[0]!.lastRun).toMatchObject({
      actionId: null,
      error: "profile 'eco' does not exist",
    });
  });

  it('takes a changed list while running: new ones wait for their time, changed ones for the new time, removed ones stop', async () => {
    const clock = new FakeClock(Date.UTC(2026, 11, 6, 21));
    const started: string[] = [];
    scheduler = new Scheduler({
      schedules: [night],
      clock,
      startAction: (_request, actor) => {
        started.push(actor);
        return { id: `a${started.length}` };
      },
    });
    scheduler.start();
    await clock.advance(3_600_000);
    expect(started).toEqual(['schedule:night']);
    const lastRun = scheduler.list()[0]!.lastRun;

    // 22:00 -> 22:30: night unchanged keeps its last run; a new one at 22:15; then night moves and one goes.
    const quarter: Schedule = { ...night, name: 'quarter', at: '22:15', source: 'api' };
    scheduler.set([night, quarter]);
    expect(scheduler.list()[0]!.lastRun).toBe(lastRun);
    await clock.advance(15 * 60_000);
    expect(started).toEqual(['schedule:night', 'schedule:quarter']);
    expect(scheduler.list().map((s) => s.source)).toEqual(['config', 'api']);

    scheduler.set([{ ...night, at: '23:00' }]);
    expect(scheduler.list().map((s) => [s.name, new Date(s.nextRunAt!).toISOString()])).toEqual([
      ['night', '2026-12-06T23:00:00.000Z'],
    ]);
    // The changed schedule keeps the last run it had.
    expect(scheduler.list()[0]!.lastRun).toBe(lastRun);
    await clock.advance(24 * 3_600_000);
    // Only night at 23:00, not quarter at 22:15, nor night's old 22:00.
    expect(started).toEqual(['schedule:night', 'schedule:quarter', 'schedule:night']);
    expect(clock.pendingSleeps).toBe(1);
  });

  it('runs only the runs this process claims, and names a claim that failed', async () => {
    const clock = new FakeClock(Date.UTC(2026, 11, 6, 21));
    const started: number[] = [];
    const claims: [string, number][] = [];
    let answer: () => Promise<boolean> = async () => false;
    scheduler = new Scheduler({
      schedules: [night],
      clock,
      startAction: () => {
        started.push(clock.now());
        return { id: 'a' };
      },
      claimRun: (name, at) => {
        claims.push([name, at]);
        return answer();
      },
    });
    scheduler.start();
    await clock.advance(3_600_000);
    expect(claims).toEqual([['night', Date.UTC(2026, 11, 6, 22)]]);
    expect(started).toEqual([]);
    expect(scheduler.list()[0]!.lastRun).toBeNull();
    answer = async () => true;
    await clock.advance(86_400_000);
    expect(started).toEqual([Date.UTC(2026, 11, 7, 22)]);
    answer = async () => {
      throw new Error('database away');
    };
    await clock.advance(86_400_000);
    expect(started).toHaveLength(1);
    expect(scheduler.list()[0]!.lastRun).toMatchObject({
      actionId: null,
      error: 'could not claim the run: database away',
    });
  });

  it('leaves no wait behind when closed', async () => {
    const clock = new FakeClock(0);
    scheduler = new Scheduler({ schedules: [night], clock, startAction: () => ({ id: 'x' }) });
    scheduler.start();
    await clock.advance(0);
    expect(clock.pendingSleeps).toBe(1);
    await scheduler.close();
    expect(clock.pendingSleeps).toBe(0);
  });
});
