import { describe, expect, it } from 'vitest';
import { emptyScheduleForm, fieldOfProblem, formOf, scheduleInputOf } from './scheduleForm.js';
import type { ScheduleView } from './types.js';

const blank = emptyScheduleForm('Europe/Berlin');

describe('schedule form', () => {
  it('starts in the browser’s zone, every day, and sends every day as no days', () => {
    expect(scheduleInputOf({ ...blank, name: ' night ', tag: 'garage' }, [])).toEqual({
      name: 'night',
      at: '22:00',
      timeZone: 'Europe/Berlin',
      action: 'pause',
      target: { tags: ['garage'] },
    });
  });

  it('sends the days ticked, the profile for settings, and the table’s selection', () => {
    expect(
      scheduleInputOf(
        {
          ...blank,
          name: 'eco',
          days: ['mon', 'fri'],
          action: 'settings',
          profile: 'eco',
          target: 'selected',
        },
        ['m1', 'm2'],
      ),
    ).toMatchObject({
      days: ['mon', 'fri'],
      action: 'settings',
      profile: 'eco',
      target: { ids: ['m1', 'm2'] },
    });
  });

  it('names the field the form can see is wrong', () => {
    expect(scheduleInputOf({ ...blank, tag: 'g' }, [])).toMatchObject({ field: 'name' });
    expect(scheduleInputOf({ ...blank, name: 'n', tag: 'g', at: '' }, [])).toMatchObject({ field: 'at' });
    expect(scheduleInputOf({ ...blank, name: 'n', tag: 'g', days: [] }, [])).toMatchObject({ field: 'days' });
    expect(scheduleInputOf({ ...blank, name: 'n', tag: 'g', action: 'settings' }, [])).toMatchObject({
      field: 'profile',
    });
    expect(scheduleInputOf({ ...blank, name: 'n', target: 'selected' }, [])).toMatchObject({
      field: 'target',
    });
  });

  it('edits a schedule as it is, keeping its miners and rollout unless others are selected', () => {
    const view: ScheduleView = {
      name: 'night',
      source: 'api',
      at: '23:30',
      days: ['sun', 'mon'],
      timeZone: 'Asia/Kolkata',
      action: 'resume',
      target: { ids: ['a', 'b'] },
      rollout: { canary: 0 },
      nextRunAt: null,
      lastRun: null,
    };
    const form = formOf(view);
    expect(form).toMatchObject({ days: ['mon', 'sun'], target: 'selected', ids: ['a', 'b'] });
    expect(scheduleInputOf(form, [])).toEqual({
      name: 'night',
      at: '23:30',
      days: ['mon', 'sun'],
      timeZone: 'Asia/Kolkata',
      action: 'resume',
      target: { ids: ['a', 'b'] },
      rollout: { canary: 0 },
    });
    expect(scheduleInputOf(form, ['c'])).toMatchObject({ target: { ids: ['c'] } });
  });

  it('finds the field a server message names', () => {
    expect(fieldOfProblem("body.timeZone 'Mars/Olympus' is not a time zone")).toBe('timeZone');
    expect(fieldOfProblem('body.days[0] must be one of sun, mon')).toBe('days');
    expect(fieldOfProblem('body.target.ids names no miner')).toBe('target');
    expect(fieldOfProblem("a schedule named 'x' already exists")).toBeNull();
  });
});
