/** The config's `schedules` as the Scheduler takes them, each checked beyond what the schema can. */
import type { Static } from 'typebox';
import type { ScheduleConfig } from '../../config/schema/fleet.js';
import type { Schedule } from './Scheduler.js';
import { isTimeZone, localTimeZone } from './wallClock.js';

/** Throws `{ key, problem }` naming the first bad entry, e.g. `schedules[1].timezone`. */
export class ScheduleConfigError extends Error {
  override readonly name = 'ScheduleConfigError';
  readonly key: string;
  constructor(key: string, problem: string) {
    super(`${key} ${problem}`);
    this.key = key;
  }
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
    const timeZone = entry.timezone ?? defaultZone;
    if (!isTimeZone(timeZone)) {
      throw new ScheduleConfigError(
        `${key}.timezone`,
        `'${timeZone}' is not a time zone (e.g. Europe/Berlin)`,
      );
    }
    if (entry.action === 'settings') {
      if (entry.profile === undefined) {
        throw new ScheduleConfigError(`${key}.profile`, "is required for action 'settings'");
      }
      if (!profileExists(entry.profile)) {
        throw new ScheduleConfigError(`${key}.profile`, `'${entry.profile}' is not a saved profile`);
      }
    } else if (entry.profile !== undefined) {
      throw new ScheduleConfigError(`${key}.profile`, "belongs only to action 'settings'");
    }
    const { timezone: _zone, ...rest } = entry;
    return { ...rest, timeZone } as Schedule;
  });
}
