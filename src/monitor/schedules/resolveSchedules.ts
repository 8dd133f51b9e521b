/**
 * Schedules as the Scheduler takes them, each checked beyond what the schema can: the config's
 * (`resolveSchedules`) and one made over the API (`checkSchedule`), by the same rules.
 */
import type { Static } from 'typebox';
import type { ScheduleConfig } from '../../config/schema/fleet.js';
import type { Schedule } from './Scheduler.js';
import { isTimeZone, localTimeZone } from './wallClock.js';

/** Names the first bad field, e.g. `schedules[1].timezone` in the config, `body.timeZone` over the API. */
export class ScheduleConfigError extends Error {
  override readonly name = 'ScheduleConfigError';
  readonly key: string;
  constructor(key: string, problem: string) {
    super(`${key} ${problem}`);
    this.key = key;
  }
}

/** The schedule's fields, each named the way its writer spells it. */
export interface ScheduleKeys {
  readonly timeZone: string;
  readonly profile: string;
  readonly target: string;
}

/**
 * Throws a ScheduleConfigError naming the field when the zone is unknown, the profile missing or
 * unknown (or given for an action that takes none), or the target names nobody at all.
 * `profileExists` null skips the look-up (a stored schedule whose profile went is reported when it runs).
 */
export function checkSchedule(
  schedule: Schedule,
  keys: ScheduleKeys,
  profileExists: ((name: string) => boolean) | null,
): Schedule {
  if (!isTimeZone(schedule.timeZone)) {
    throw new ScheduleConfigError(
      keys.timeZone,
      `'${schedule.timeZone}' is not a time zone (e.g. Europe/Berlin)`,
    );
  }
  if (schedule.action === 'settings') {
    if (schedule.profile === undefined) {
      throw new ScheduleConfigError(keys.profile, "is required for action 'settings'");
    }
    if (profileExists !== null && !profileExists(schedule.profile)) {
      throw new ScheduleConfigError(keys.profile, `'${schedule.profile}' is not a saved profile`);
    }
  } else if (schedule.profile !== undefined) {
    throw new ScheduleConfigError(keys.profile, "belongs only to action 'settings'");
  }
  const { ids = [], tags = [], all = false } = schedule.target;
  if (ids.length === 0 && tags.length === 0 && !all) {
    throw new ScheduleConfigError(keys.target, 'must name `ids`, `tags` or `all: true`');
  }
  return schedule;
}

export function resolveSchedules(
  entries: readonly Static<typeof ScheduleConfig>[],
  profileExists: (name: string) => boolean,
  defaultZone: string = localTimeZone(),
): Schedule[] {
  const names = new Set<string>();
  return entries.map((entry, index) => {
    const key = `schedules[${index}]`;
    if (names.has(entry.name)) throw new ScheduleConfigError(`${key}.name`, `'${entry.name}' is used twice`);
    names.add(entry.name);
    const { timezone, ...rest } = entry;
    const schedule = { ...rest, timeZone: timezone ?? defaultZone, source: 'config' } as Schedule;
    return checkSchedule(
      schedule,
      { timeZone: `${key}.timezone`, profile: `${key}.profile`, target: `${key}.target` },
      profileExists,
    );
  });
}
