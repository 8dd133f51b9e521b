/**
 * Filling a gap left while the MONITOR was down, from the device's own history (AxeOS
 * /api/system/statistics keeps up to 720 points since boot; the driver already converts its
 * ms-since-boot stamps to epoch ms using the uptime). Pure helpers; the manager does the I/O.
 */
import type { HistoryPoint } from '../miners/MinerDriver.js';
import type { MetricRecord } from '../storage/Storage.js';

/** True when the last stored sample is more than `intervals` poll intervals old. */
export function needsBackfill(
  lastStoredAt: number | null,
  now: number,
  intervalMs: number,
  intervals: number,
): boolean {
  if (lastStoredAt === null) return false;
  return now - lastStoredAt > intervals * intervalMs;
}

/** History names that map onto stored columns (AxeOS statistics column names). */
const COLUMN_MAP: Readonly<Record<string, keyof MetricRecord>> = {
  hashrate: 'hashrateGhs',
  hashRate: 'hashrateGhs',
  hashrateGhs: 'hashrateGhs',
  temp: 'temperatureC',
  asicTemp: 'temperatureC',
  temperatureC: 'temperatureC',
  vrTemp: 'vrTemperatureC',
  vrTemperatureC: 'vrTemperatureC',
  power: 'powerW',
  powerW: 'powerW',
  voltage: 'inputVoltageV',
  inputVoltageV: 'inputVoltageV',
  fanrpm: 'fanRpm',
  fanRpm: 'fanRpm',
};

/**
 * Points strictly inside the gap (after the last stored sample, before now), as backfilled
 * records. AxeOS reports input voltage in mV; values above 1000 are converted to V.
 */
export function historyToRecords(
  minerId: string,
  points: readonly HistoryPoint[],
  after: number,
  before: number,
): MetricRecord[] {
  const records: MetricRecord[] = [];
  for (const point of points) {
    if (!(point.timestamp > after && point.timestamp < before)) continue;
    const values: Partial<Record<keyof MetricRecord, number>> = {};
    for (const [name, raw] of Object.entries(point.values)) {
      const column = COLUMN_MAP[name];
      if (column === undefined || typeof raw !== 'number' || !Number.isFinite(raw)) continue;
      values[column] = column === 'inputVoltageV' && raw > 1000 ? raw / 1000 : raw;
    }
    records.push({
      minerId,
      timestamp: Math.round(point.timestamp),
      hashrateGhs: values.hashrateGhs ?? null,
      expectedHashrateGhs: null,
      temperatureC: values.temperatureC ?? null,
      vrTemperatureC: values.vrTemperatureC ?? null,
      powerW: values.powerW ?? null,
      inputVoltageV: values.inputVoltageV ?? null,
      fanRpm: values.fanRpm ?? null,
      sharesAccepted: null,
      sharesRejected: null,
      bestDifficulty: null,
      sessionBestDifficulty: null,
      uptimeS: null,
      backfilled: true,
    });
  }
  return records.sort((a, b) => a.timestamp - b.timestamp);
}
