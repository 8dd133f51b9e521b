/**
 * AxeOS (Bitaxe and friends), every release from v2.0 to v2.15. The field differences between
 * releases are absorbed by the shared reader (aliases, string or number difficulties, 0/1
 * booleans, units); history comes from /api/system/statistics (v2.8+).
 */
import { isHttpStatusError } from '../../resilience/index.js';
import { MinerResponseError } from '../errors.js';
import type { CallOptions, HistoryPoint, MinerEndpoint } from '../MinerDriver.js';
import type { MinerSample } from '../MinerSample.js';
import { isRecord } from '../parse/FieldReader.js';
import { type DriverContext, requestOptions } from './DriverContext.js';
import { EspMinerDriver, type EspMinerSpec } from './EspMinerDriver.js';
import { nerdQaxeMarkers } from './espMinerForks.js';
import { readEspMinerSample } from './espMinerSample.js';

/** Columns asked of /api/system/statistics; the device appends `timestamp` (ms since boot). */
export const HISTORY_COLUMNS = ['hashrate', 'asicTemp', 'vrTemp', 'power', 'voltage', 'fanRpm'] as const;

export const STATISTICS_PATH = '/api/system/statistics';

/**
 * The device's own history as epoch-ms points. Its timestamps count from boot; the answer's
 * `currentTimestamp` is "now" on that scale, so each point is `now - (currentTimestamp - t)`.
 * Values keep the device's names and units (voltage in mV). Releases before v2.8 have none: [].
 */
export async function readAxeosHistory(
  context: DriverContext,
  endpoint: MinerEndpoint,
  origin: string,
  options: CallOptions | undefined,
): Promise<HistoryPoint[]> {
  const url = `${origin}${STATISTICS_PATH}?columns=${HISTORY_COLUMNS.join(',')}`;
  let answer: unknown;
  try {
    // The miner's breaker guards this call (the monitor runs it through it), and an answer that
    // says "no such page" resolves as [] below, so no breaker counts it. One attempt unless the
    // caller asks for more: the resilience classifier calls a 302 retryable.
    answer = await context.http.getJson(url, { maxAttempts: 1, ...requestOptions(options, endpoint) });
  } catch (error) {
    if (isHttpStatusError(error) && hasNoSuchPage(error.status)) return [];
    throw error;
  }
  const now = context.clock.now();
  if (!isRecord(answer) || !Array.isArray(answer.labels) || !Array.isArray(answer.statistics)) {
    throw new MinerResponseError(`GET ${url}: expected {currentTimestamp, labels, statistics}`, {
      target: url,
      status: 'shape',
    });
  }
  const labels = answer.labels.map(String);
  const stampAt = labels.lastIndexOf('timestamp');
  let reference = typeof answer.currentTimestamp === 'number' ? answer.currentTimestamp : null;
  if (reference === null) {
    const info = await context.http.getJson(`${origin}/api/system/info`, requestOptions(options, endpoint));
    const uptime = isRecord(info) && typeof info.uptimeSeconds === 'number' ? info.uptimeSeconds : null;
    reference = uptime === null ? null : uptime * 1000;
  }
  if (stampAt === -1 || reference === null) {
    throw new MinerResponseError(`GET ${url}: no timestamp column or reference time`, {
      target: url,
      status: 'shape',
    });
  }
  const bootAt = now - reference;
  const points: HistoryPoint[] = [];
  for (const row of answer.statistics) {
    if (!Array.isArray(row)) continue;
    const stamp = row[stampAt];
    if (typeof stamp !== 'number' || !Number.isFinite(stamp)) continue;
    const values: Record<string, number> = {};
    labels.forEach((label, i) => {
      const value = row[i];
      if (i !== stampAt && typeof value === 'number' && Number.isFinite(value)) values[label] = value;
    });
    points.push({ timestamp: Math.round(bootAt + stamp), values });
  }
  return points.sort((a, b) => a.timestamp - b.timestamp);
}

/**
 * How a release says it has no such page: up to v2.8 every unknown path is a 302 to the captive
 * portal ("/"), from v2.9 an unknown /api path is a 404 with {"error": "unknown route"}
 * (http_server.c). Either means "this firmware has no history": never retried, never a failure.
 */
export function hasNoSuchPage(status: number): boolean {
  return (status >= 300 && status <= 399) || status === 404 || status === 400;
}

export const AXEOS_SPEC: EspMinerSpec = {
  kind: 'axeos',
  // Any ESP-Miner that shows none of the NerdQAxe fork's own keys.
  score: (info) => (nerdQaxeMarkers(info) === 0 ? 1 : 0),
  extra: () => ({}),
  readHistory: readAxeosHistory,
};

export function createAxeosDriver(context: DriverContext): EspMinerDriver {
  return new EspMinerDriver(AXEOS_SPEC, context);
}

/** One /api/system/info object of any release, read as AxeOS reads it. */
export function parseAxeosInfo(info: Record<string, unknown>, timestamp: number): MinerSample {
  return readEspMinerSample(info, 'axeos', timestamp, AXEOS_SPEC.extra);
}
