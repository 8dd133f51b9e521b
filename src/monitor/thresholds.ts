/** When the status policy calls a miner unwell. Frozen defaults, validated overrides. */

export interface StatusThresholds {
  /**
   * Consecutive failed polls before a miner is called offline.
   * @default 3
   */
  readonly offlineAfterFailures: number;
  /**
   * Chip temperature at or above which a miner is overheating (°C).
   * @default 70
   */
  readonly chipTempMaxC: number;
  /**
   * Voltage regulator temperature at or above which a miner is overheating (°C).
   * @default 90
   */
  readonly vrTempMaxC: number;
  /**
   * Degrees below a limit a temperature must fall to clear overheating, so it does not flap.
   * @default 3
   */
  readonly tempHysteresisC: number;
  /**
   * Share of expected hashrate below which hashrate is low.
   * @default 0.75
   */
  readonly hashrateLowRatio: number;
  /**
   * How long hashrate must stay low before it counts (ms).
   * @default 300000
   */
  readonly hashrateLowForMs: number;
  /**
   * Uptime during which low hashrate is ignored: the device's averages are still filling (s).
   * @default 300
   */
  readonly warmupS: number;
  /**
   * Rejected share of all shares since boot above which the reject rate is high.
   * @default 0.05
   */
  readonly rejectRateMax: number;
  /**
   * Shares since boot needed before the reject rate means anything.
   * @default 100
   */
  readonly rejectMinShares: number;
}

export const DEFAULT_THRESHOLDS: StatusThresholds = Object.freeze({
  offlineAfterFailures: 3,
  chipTempMaxC: 70,
  vrTempMaxC: 90,
  tempHysteresisC: 3,
  hashrateLowRatio: 0.75,
  hashrateLowForMs: 300_000,
  warmupS: 300,
  rejectRateMax: 0.05,
  rejectMinShares: 100,
});

const RULES: Record<keyof StatusThresholds, (value: number) => boolean> = {
  offlineAfterFailures: (v) => Number.isSafeInteger(v) && v >= 1,
  chipTempMaxC: (v) => Number.isFinite(v) && v > 0,
  vrTempMaxC: (v) => Number.isFinite(v) && v > 0,
  tempHysteresisC: (v) => Number.isFinite(v) && v >= 0,
  hashrateLowRatio: (v) => Number.isFinite(v) && v > 0 && v <= 1,
  hashrateLowForMs: (v) => Number.isFinite(v) && v >= 0,
  warmupS: (v) => Number.isFinite(v) && v >= 0,
  rejectRateMax: (v) => Number.isFinite(v) && v > 0 && v < 1,
  rejectMinShares: (v) => Number.isSafeInteger(v) && v >= 0,
};

/** Defaults overlaid with `overrides`; throws a RangeError naming the first bad option. */
export function resolveThresholds(overrides: Partial<StatusThresholds> = {}): StatusThresholds {
  const merged: Record<string, number> = { ...DEFAULT_THRESHOLDS };
  for (const [key, value] of Object.entries(overrides)) {
    const rule = RULES[key as keyof StatusThresholds];
    if (rule === undefined) throw new RangeError(`Unknown threshold \`${key}\``);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !rule(value)) {
      throw new RangeError(`Invalid threshold \`${key}\`: ${String(value)}`);
    }
    merged[key] = value;
  }
  return Object.freeze(merged as unknown as StatusThresholds);
}
