/**
 * What the reducer is told besides the state and the input: thresholds, proof-of-work health,
 * watchdog and restart settings. Each default is written once here, validated when resolved,
 * with an error that names the option.
 */
import type { StatusThresholds } from '../thresholds.js';

export interface PowSettings {
  /**
   * Judge proof of work (shares against reported hashrate) at all.
   * @default true
   */
  readonly enabled: boolean;
  /**
   * A miner is `not_hashing` when the shares it got are this unlikely for the work it claims.
   * @default 1e-6
   */
  readonly pValue: number;
  /**
   * Share of the reported hashrate believed when testing (devices round, average and overstate).
   * @default 0.5
   */
  readonly hashrateCredit: number;
  /**
   * Expected (credited) shares after which the counting window starts again.
   * @default 200
   */
  readonly windowShares: number;
  /**
   * A longer gap between two samples starts the count again instead of judging across it (ms).
   * @default 600000
   */
  readonly maxGapMs: number;
  /**
   * Flag a session best difficulty less likely than this for the work done since boot.
   * @default 1e-6
   */
  readonly bestPValue: number;
}

export interface WatchdogSettings {
  /**
   * Restart miners that are not hashing, stalled or too hot.
   * @default false
   */
  readonly enabled: boolean;
  /**
   * Restarts per miner within any hour; past it the watchdog gives up and alerts.
   * @default 2
   */
  readonly maxRestartsPerHour: number;
  /**
   * Time after a restart before the watchdog may restart the same miner again (ms).
   * @default 600000
   */
  readonly cooldownMs: number;
}

export interface ReducerSettings {
  readonly thresholds: StatusThresholds;
  readonly pow: PowSettings;
  readonly watchdog: WatchdogSettings;
  /**
   * How long to watch for the uptime to reset after a restart was sent (ms).
   * @default 120000
   */
  readonly restartConfirmMs: number;
}

export const DEFAULT_POW: PowSettings = Object.freeze({
  enabled: true,
  pValue: 1e-6,
  hashrateCredit: 0.5,
  windowShares: 200,
  maxGapMs: 600_000,
  bestPValue: 1e-6,
});

export const DEFAULT_WATCHDOG: WatchdogSettings = Object.freeze({
  enabled: false,
  maxRestartsPerHour: 2,
  cooldownMs: 600_000,
});

export const DEFAULT_RESTART_CONFIRM_MS = 120_000;

type Rule = (value: unknown) => boolean;
const probability: Rule = (v) => typeof v === 'number' && v > 0 && v < 1;
const positive: Rule = (v) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const nonNegative: Rule = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const boolean: Rule = (v) => typeof v === 'boolean';

const POW_RULES: Record<keyof PowSettings, [Rule, string]> = {
  enabled: [boolean, 'true or false'],
  pValue: [probability, 'a probability between 0 and 1'],
  hashrateCredit: [(v) => typeof v === 'number' && v > 0 && v <= 1, 'a share in (0, 1]'],
  windowShares: [positive, 'a number > 0'],
  maxGapMs: [positive, 'a number of ms > 0'],
  bestPValue: [probability, 'a probability between 0 and 1'],
};

const WATCHDOG_RULES: Record<keyof WatchdogSettings, [Rule, string]> = {
  enabled: [boolean, 'true or false'],
  maxRestartsPerHour: [(v) => Number.isSafeInteger(v) && (v as number) >= 1, 'a whole number >= 1'],
  cooldownMs: [nonNegative, 'a number of ms >= 0'],
};

function resolve<T extends object>(
  group: string,
  defaults: T,
  rules: Record<keyof T, [Rule, string]>,
  overrides: Partial<T> | undefined,
): T {
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries((overrides ?? {}) as Record<string, unknown>)) {
    const rule = (rules as Record<string, [Rule, string] | undefined>)[key];
    if (rule === undefined) {
      throw new RangeError(`Unknown option \`${group}.${key}\` (known: ${Object.keys(rules).join(', ')})`);
    }
    if (value === undefined) continue;
    if (!rule[0](value)) {
      throw new RangeError(`Expected \`${group}.${key}\` to be ${rule[1]}, got ${JSON.stringify(value)}`);
    }
    merged[key] = value;
  }
  return Object.freeze(merged) as unknown as T;
}

export function resolvePowSettings(overrides?: Partial<PowSettings>): PowSettings {
  return resolve('powHealth', DEFAULT_POW, POW_RULES, overrides);
}

export function resolveWatchdogSettings(overrides?: Partial<WatchdogSettings>): WatchdogSettings {
  return resolve('watchdog', DEFAULT_WATCHDOG, WATCHDOG_RULES, overrides);
}
