/**
 * Which notifications go where, and when not: each channel may name the alert kinds it wants
 * (`alerts`: conditions such as `offline` or `not_hashing`, one-off events such as `block_found`
 * or `restart_confirmed`) and a lowest severity; quiet hours hold back everything below a
 * severity (critical by default) during a daily window, in a given time zone.
 */
import { SEVERITIES, type Severity } from '../../storage/Storage.js';
import type { Notification } from './Notifier.js';

function rank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** What one channel accepts; configured beside the channel (`alerts`, `minSeverity`). */
export interface ChannelRouting {
  /** Alert kinds sent to this channel. @default every kind */
  readonly alerts?: readonly string[];
  /** @default 'info' */
  readonly minSeverity?: Severity;
}

export interface QuietHoursConfig {
  /** Start of the quiet window, `HH:MM`. */
  readonly from: string;
  /** End of the quiet window, `HH:MM` (before `from` means it runs past midnight). */
  readonly to: string;
  /** IANA time zone the window is in. @default the process's */
  readonly timeZone?: string;
  /** Alerts at or above this are sent anyway. @default 'critical' */
  readonly minSeverity?: Severity;
}

export interface Route {
  readonly alerts: ReadonlySet<string> | null;
  readonly minSeverity: Severity;
}

export interface QuietHours {
  readonly fromMin: number;
  readonly toMin: number;
  readonly minSeverity: Severity;
  readonly minuteOfDay: (now: number) => number;
}

function checkSeverity(name: string, value: unknown): Severity {
  if (!SEVERITIES.includes(value as Severity)) {
    throw new TypeError(
      `Expected \`${name}\` to be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as Severity;
}

export function resolveRoute(config: ChannelRouting): Route {
  let alerts: Set<string> | null = null;
  if (config.alerts !== undefined) {
    if (
      !Array.isArray(config.alerts) ||
      !config.alerts.every((kind) => typeof kind === 'string' && kind !== '')
    ) {
      throw new TypeError(
        'Expected `alerts` to be a list of alert kinds (for example ["offline", "block_found"])',
      );
    }
    alerts = new Set(config.alerts);
  }
  return {
    alerts,
    minSeverity: config.minSeverity === undefined ? 'info' : checkSeverity('minSeverity', config.minSeverity),
  };
}

function parseClock(name: string, value: unknown): number {
  const match = typeof value === 'string' ? /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value) : null;
  if (match === null)
    throw new TypeError(`Expected \`quietHours.${name}\` to be a time HH:MM, got ${JSON.stringify(value)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export function resolveQuietHours(config: QuietHoursConfig): QuietHours {
  const fromMin = parseClock('from', config.from);
  const toMin = parseClock('to', config.to);
  const minSeverity =
    config.minSeverity === undefined
      ? 'critical'
      : checkSeverity('quietHours.minSeverity', config.minSeverity);
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(config.timeZone === undefined ? {} : { timeZone: config.timeZone }),
    });
  } catch {
    throw new TypeError(`Unknown \`quietHours.timeZone\` ${JSON.stringify(config.timeZone)}`);
  }
  const minuteOfDay = (now: number): number => {
    const parts = format.formatToParts(now);
    const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
    const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
    return hour * 60 + minute;
  };
  return { fromMin, toMin, minSeverity, minuteOfDay };
}

export function isQuiet(quiet: QuietHours, now: number): boolean {
  const minute = quiet.minuteOfDay(now);
  if (quiet.fromMin === quiet.toMin) return false;
  return quiet.fromMin < quiet.toMin
    ? minute >= quiet.fromMin && minute < quiet.toMin
    : minute >= quiet.fromMin || minute < quiet.toMin;
}

/** Does this channel take this notification now? */
export function accepts(
  route: Route,
  quiet: QuietHours | null,
  notification: Notification,
  now: number,
): boolean {
  const { alert } = notification;
  if (route.alerts !== null && !route.alerts.has(alert.condition)) return false;
  if (rank(alert.severity) < rank(route.minSeverity)) return false;
  if (quiet !== null && rank(alert.severity) < rank(quiet.minSeverity) && isQuiet(quiet, now)) return false;
  return true;
}
