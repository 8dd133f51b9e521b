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
