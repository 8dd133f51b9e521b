import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRun, parseAt } from './nextRun.js';
import { WEEKDAYS, wallTime } from './wallClock.js';

const zones = fc.constantFrom(
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
);
const times = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }));
const fmt = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
const instants = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) });
const daySets = fc.subarray([...WEEKDAYS], { minLength: 1 });

describe('nextRun', () => {
  it('is after the given instant, within eight days, on an allowed weekday, showing the time asked (outside DST gaps)', () => {
    fc.assert(
      fc.property(zones, times, instants, daySets, (timeZone, [h, m], after, days) => {
        const at = nextRun({ at: fmt(h, m), days, timeZone }, after);
        expect(at).toBeGreaterThan(after);
        expect(at - after).toBeLessThanOrEqual(8 * 86_400_000);
        const wall = wallTime(at, timeZone);
        // Lord Howe moves by 30 minutes: a gap can push the time on by up to an hour anywhere.
        const shownMinutes = wall.hour * 60 + wall.minute;
        const delta = shownMinutes - (h * 60 + m);
        expect(delta === 0 || (delta > 0 && delta <= 60)).toBe(true);
        if (delta === 0) expect(days).toContain(wall.weekday);
      }),
    );
  });

  it('never skips a run: nothing allowed lies between the instant and the answer', () => {
    fc.assert(
      fc.property(zones, times, instants, (timeZone, [h, m], after) => {
        const first = nextRun({ at: fmt(h, m), timeZone }, after);
        // Every day: the next run is at most a day (plus a DST hour) away, and the one after follows it.
        expect(first - after).toBeLessThanOrEqual(25 * 3_600_000);
        const second = nextRun({ at: fmt(h, m), timeZone }, first);
        expect(second - first).toBeGreaterThanOrEqual(23 * 3_600_000);
        expect(second - first).toBeLessThanOrEqual(25 * 3_600_000);
      }),
    );
  });

  it('keeps wall time across daylight saving in Berlin', () => {
    const timeZone = 'Europe/Berlin';
    // Saturday 2026-03-28 23:00 UTC; clocks go 02:00 -> 03:00 on Sunday 03-29.
    const before = Date.UTC(2026, 2, 28, 12);
    const night = nextRun({ at: '22:00', timeZone }, before);
    expect(new Date(night).toISOString()).toBe('2026-03-28T21:00:00.000Z');
    const after = nextRun({ at: '22:00', timeZone }, night);
    expect(new Date(after).toISOString()).toBe('2026-03-29T20:00:00.000Z');
    // 02:30 does not exist that night: it runs at 03:30 local.
    const gap = nextRun({ at: '02:30', timeZone }, Date.UTC(2026, 2, 28, 12));
    expect(new Date(gap).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 2026-10-25: the first one.
    const twice = nextRun({ at: '02:30', timeZone }, Date.UTC(2026, 9, 24, 12));
    expect(new Date(twice).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('only fires on the days named', () => {
    // 2026-12-06 is a Sunday.
    const at = nextRun({ at: '07:00', days: ['mon', 'wed'], timeZone: 'UTC' }, Date.UTC(2026, 11, 6, 8));
    expect(new Date(at).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    const wed = nextRun({ at: '07:00', days: ['mon', 'wed'], timeZone: 'UTC' }, at);
    expect(new Date(wed).toISOString()).toBe('2026-12-09T07:00:00.000Z');
  });

  it('names a bad time', () => {
    expect(() => parseAt('24:00')).toThrow(/HH:MM/);
    expect(() => parseAt('7:00')).toThrow(/'7:00'/);
  });
});
