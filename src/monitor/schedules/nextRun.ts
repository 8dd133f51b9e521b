/**
 * When a schedule fires next: the first instant after `afterMs` at which the zone's clocks show
 * `at` (HH:MM) on one of `days`. Pure.
 */
import { instantOf, WEEKDAYS, type Weekday, wallTime } from './wallClock.js';

export interface ScheduleTime {
  /** `HH:MM`, 24-hour. */
  readonly at: string;
  /** @default every day */
  readonly days?: readonly Weekday[];
  readonly timeZone: string;
}

const DAY_MS = 86_400_000;

export function parseAt(at: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
  if (match === null) throw new RangeError(`Expected \`at\` to be HH:MM (00:00-23:59), got '${at}'.`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export function nextRun(schedule: ScheduleTime, afterMs: number): number {
  const { hour, minute } = parseAt(schedule.at);
  const days = new Set<Weekday>(
    schedule.days === undefined || schedule.days.length === 0 ? WEEKDAYS : schedule.days,
  );
  const seen = new Set<string>();
  // Nine days of dates cover a week's worth of candidates whatever the zone's changes.
  for (let d = 0; d <= 8; d++) {
    const { year, month, day } = wallTime(afterMs + d * DAY_MS, schedule.timeZone);
    const key = `${year}-${month}-${day}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!;
    if (!days.has(weekday)) continue;
    const at = instantOf({ year, month, day }, hour, minute, schedule.timeZone);
    if (at > afterMs) return at;
  }
  throw new Error(`no run of ${schedule.at} within nine days (days ${[...days].join(',')})`);
}
