/**
 * Wall-clock time in a named time zone (IANA, e.g. `Europe/Berlin`), with the platform's own
 * zone database (Intl). Pure functions of epoch ms; no global state.
 */

export const WEEKDAYS = Object.freeze(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const);
export type Weekday = (typeof WEEKDAYS)[number];

export interface WallTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the platform knows the zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone the process runs in (TZ, else the system's). */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function parts(epochMs: number, timeZone: string): WallTime & { second: number } {
  const values: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(epochMs)) values[part.type] = part.value;
  return {
    year: Number(values.year),
    month: Number(values.month),
    day: Number(values.day),
    hour: Number(values.hour),
    minute: Number(values.minute),
    second: Number(values.second),
    weekday: (values.weekday ?? 'Sun').slice(0, 3).toLowerCase() as Weekday,
  };
}

export function wallTime(epochMs: number, timeZone: string): WallTime {
  const { second: _second, ...wall } = parts(epochMs, timeZone);
  return wall;
}

/** Local time minus UTC at that instant, in ms (e.g. +3600000 for Berlin in winter). */
function offsetAt(epochMs: number, timeZone: string): number {
  const p = parts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant at which the zone's clocks show this date and time. A time the clocks skip (the
 * spring-forward gap) maps to the instant the gap ends plus the same distance, e.g. 02:30 on a
 * night that jumps from 02:00 to 03:00 is 03:30; a time shown twice (the autumn fall-back) is the
 * first of the two.
 */
export function instantOf(
  date: { year: number; month: number; day: number },
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // Two candidates: with the offset before and after a change near this time; the earlier one
  // that shows the wanted time wins (the first of a repeated hour).
  const candidates = [
    asUtc - offsetAt(asUtc - 86_400_000 / 2, timeZone),
    asUtc - offsetAt(asUtc + 86_400_000 / 2, timeZone),
  ].sort((a, b) => a - b);
  for (const candidate of candidates) {
    const shown = parts(candidate, timeZone);
    if (shown.hour === hour && shown.minute === minute && shown.day === date.day) return candidate;
  }
  // In a gap: the later offset's instant shows the time moved on by the gap.
  return candidates[1]!;
}
