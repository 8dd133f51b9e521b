/** How the record's fields map onto SQL columns, and the rollup resolutions. */
import type { MetricField } from './Storage.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Column of each metric field, in METRIC_FIELDS order (the write path relies on the order). */
export const FIELD_COLUMNS: Readonly<Record<MetricField, string>> = Object.freeze({
  hashrateGhs: 'hashrate_ghs',
  expectedHashrateGhs: 'expected_hashrate_ghs',
  temperatureC: 'temperature_c',
  vrTemperatureC: 'vr_temperature_c',
  powerW: 'power_w',
  inputVoltageV: 'input_voltage_v',
  fanRpm: 'fan_rpm',
  sharesAccepted: 'shares_accepted',
  sharesRejected: 'shares_rejected',
  bestDifficulty: 'best_difficulty',
  sessionBestDifficulty: 'session_best_difficulty',
  uptimeS: 'uptime_s',
});
