/**
 * A schedule as the dashboard's form holds it, and the request it becomes. The server checks
 * everything again (zone, profile, target) and names the field in its 400; `fieldOfProblem`
 * finds that field in the message so the error is shown beside it.
 */
import type { ScheduleInput, ScheduleView } from './types.js';

export const FORM_WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type FormWeekday = (typeof FORM_WEEKDAYS)[number];

export type ScheduleField = 'name' | 'at' | 'days' | 'timeZone' | 'action' | 'profile' | 'target';

export interface ScheduleFieldError {
  /** Null: about the whole form. */
  readonly field: ScheduleField | null;
  readonly message: string;
}

export interface ScheduleForm {
  readonly name: string;
  readonly at: string;
  /** None ticked is refused: a schedule on no day would never run. */
  readonly days: readonly FormWeekday[];
  readonly timeZone: string;
  readonly action: 'pause' | 'resume' | 'settings';
  readonly profile: string;
  readonly target: 'all' | 'tag' | 'selected';
  readonly tag: string;
  /** The miners an edited schedule already names; the table's selection replaces them. */
  readonly ids: readonly string[];
  /** Kept as the schedule has it (the form does not edit it). */
  readonly rollout: ScheduleView['rollout'];
}

export function emptyScheduleForm(timeZone: string): ScheduleForm {
  return {
    name: '',
    at: '22:00',
    days: FORM_WEEKDAYS,
    timeZone,
    action: 'pause',
    profile: '',
    target: 'tag',
    tag: '',
    ids: [],
    rollout: undefined,
  };
}

/** The form for editing a schedule made over the API. */
export function formOf(schedule: ScheduleView): ScheduleForm {
  const { target } = schedule;
  return {
    name: schedule.name,
    at: schedule.at,
    days:
      schedule.days === undefined || schedule.days.length === 0
        ? FORM_WEEKDAYS
        : FORM_WEEKDAYS.filter((d) => schedule.days!.includes(d)),
    timeZone: schedule.timeZone,
    action: schedule.action === 'settings' ? 'settings' : schedule.action === 'resume' ? 'resume' : 'pause',
    profile: schedule.profile ?? '',
    target: target.all === true ? 'all' : (target.tags?.length ?? 0) > 0 ? 'tag' : 'selected',
    tag: target.tags?.[0] ?? '',
    ids: target.ids ?? [],
    rollout: schedule.rollout,
  };
}

/** The request, or the first problem the form can see by itself. */
export function scheduleInputOf(
  form: ScheduleForm,
  selection: readonly string[],
): ScheduleInput | ScheduleFieldError {
  const name = form.name.trim();
  if (name === '') return { field: 'name', message: 'Name: give the schedule a name' };
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(form.at)) return { field: 'at', message: 'Time: HH:MM, 24-hour' };
  if (form.days.length === 0) return { field: 'days', message: 'Days: tick at least one day' };
  if (form.action === 'settings' && form.profile === '') {
    return { field: 'profile', message: 'Profile: choose the profile to apply' };
  }
  let target: ScheduleInput['target'];
  if (form.target === 'all') target = { all: true };
  else if (form.target === 'tag') {
    if (form.tag.trim() === '') return { field: 'target', message: 'Target: give a tag' };
    target = { tags: [form.tag.trim()] };
  } else {
    const ids = selection.length > 0 ? selection : form.ids;
    if (ids.length === 0) return { field: 'target', message: 'Target: select miners in the table first' };
    target = { ids: [...ids] };
  }
  return {
    name,
    at: form.at,
    // Every day is the default: sent as no days, so the schedule reads "every day".
    ...(form.days.length === FORM_WEEKDAYS.length ? {} : { days: [...form.days] }),
    timeZone: form.timeZone.trim(),
    action: form.action,
    ...(form.action === 'settings' ? { profile: form.profile } : {}),
    target,
    ...(form.rollout === undefined ? {} : { rollout: form.rollout }),
  } as ScheduleInput;
}

const FIELDS: readonly ScheduleField[] = ['name', 'at', 'days', 'timeZone', 'action', 'profile', 'target'];

/** The field a server message names (`body.timeZone 'Mars/X' is not…` → `timeZone`), else null. */
export function fieldOfProblem(message: string): ScheduleField | null {
  const named = /^body\.(\w+)/.exec(message)?.[1];
  return FIELDS.find((f) => f === named) ?? null;
}
