import { AXEOS_RELEASE_KEYS } from './axeosReleaseKeys.js';
import type { DiffFormat } from './diffFormat.js';

/** JSON type names used by the firmware's key lists. */
export type FirmwareType = 'Number' | 'Float' | 'String' | 'Bool' | 'Null' | 'Item' | 'Array';

/**
 * Where a listed key shows up. The reference lists hold every key the release's system handlers
 * write, so a few belong to other answers or to objects nested in the info.
 */
export type KeyRole =
  | 'info' // top level of GET /api/system/info, always
  | 'job' // top level once a pool job arrived
  | 'fault' // top level only during a power or hardware fault
  | 'statistics' // GET /api/system/statistics
  | 'scan' // GET /api/system/wifi/scan
  | 'error' // body of an error answer
  | 'nested'; // inside an array or object of the info

export interface ReleaseKey {
  readonly key: string;
  readonly types: readonly FirmwareType[];
  readonly role: KeyRole;
}

export interface AxeosRelease {
  /** e.g. `2.10` */
  readonly release: string;
  /** The version string the device reports, e.g. `v2.10.0`. */
  readonly version: string;
  readonly diffFormat: DiffFormat;
  readonly hasStatistics: boolean;
  /** GET /api/system/asic (board model, frequency and voltage options) exists from v2.7. */
  readonly hasAsicPage: boolean;
  /**
   * How the web server answers a path it does not know: up to v2.8 every unknown path is a 302
   * to the captive portal ("/"); from v2.9 an unknown /api path is a 404 `{"error":"unknown route"}`.
   */
  readonly unknownPath: 'redirect' | 'json404';
  readonly keys: readonly ReleaseKey[];
}

const ROLE_OF: Readonly<Record<string, KeyRole>> = {
  blockHeight: 'job',
  networkDifficulty: 'job',
  scriptsig: 'job',
  coinbaseOutputs: 'job',
  coinbaseValueTotalSatoshis: 'job',
  coinbaseValueUserSatoshis: 'job',
  power_fault: 'fault',
  hardware_fault: 'fault',
  currentTimestamp: 'statistics',
  labels: 'statistics',
  statistics: 'statistics',
  networks: 'scan',
  error: 'error',
  // sharesRejectedReasons[] entries
  message: 'nested',
  count: 'nested',
  // coinbaseOutputs[] entries
  value: 'nested',
  address: 'nested',
  // partitions[] entries
  label: 'nested',
  isCurrent: 'nested',
  isFactory: 'nested',
  usagePercent: 'nested',
  compileDate: 'nested',
  compileTime: 'nested',
  // pools[] entries
  id: 'nested',
  stratumPassword: 'nested',
  stratumV2RequireAuth: 'nested',
};

export const AXEOS_RELEASES: readonly string[] = Object.freeze(Object.keys(AXEOS_RELEASE_KEYS));

function diffFormatOf(minor: number): DiffFormat {
  if (minor >= 11) return 'number';
  if (minor === 10) return 'f2space';
  if (minor === 9) return 'f2';
  return 'g3';
}

/**
 * Keys that real replies of a release carry although the reference lists (taken from the tagged
 * sources) do not: v2.6.0 builds send the exact `bestNonceDiff` beside the rounded `bestDiff`
 * string (test/fixtures/devices/axeos/v2.6.0-hex-302.info.json).
 */
export const SEEN_IN_REAL_REPLIES: Readonly<Record<string, string>> = {
  '2.6': 'bestNonceDiff:Number',
};

function parseKeys(text: string): ReleaseKey[] {
  const byKey = new Map<string, FirmwareType[]>();
  for (const entry of text.trim().split(/\s+/)) {
    const [key = '', type = ''] = entry.split(':');
    const types = byKey.get(key) ?? [];
    types.push(type as FirmwareType);
    byKey.set(key, types);
  }
  return [...byKey].map(([key, types]) => {
    // `version` is the top-level firmware string and, nullable, a partition's version too.
    const role = types.includes('Null') && key !== 'version' ? 'nested' : (ROLE_OF[key] ?? 'info');
    return { key, types: key === 'version' ? ['String'] : types, role };
  });
}

const cache = new Map<string, AxeosRelease>();

/** Accepts `2.10`, `v2.10`, `2.10.0` or `v2.10.0`. */
export function normalizeRelease(firmware: string): string {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(firmware.trim());
  const release = match ? `${match[1]}.${match[2]}` : '';
  if (!AXEOS_RELEASE_KEYS[release]) {
    throw new RangeError(
      `Unknown AxeOS firmware ${JSON.stringify(firmware)}; known releases: ${AXEOS_RELEASES.join(', ')}`,
    );
  }
  return release;
}

export function axeosRelease(firmware: string): AxeosRelease {
  const release = normalizeRelease(firmware);
  const hit = cache.get(release);
  if (hit) return hit;
  const minor = Number(release.split('.')[1]);
  const keys = parseKeys(`${AXEOS_RELEASE_KEYS[release] ?? ''} ${SEEN_IN_REAL_REPLIES[release] ?? ''}`);
  const made: AxeosRelease = Object.freeze({
    release,
    version: `v${release}.0`,
    diffFormat: diffFormatOf(minor),
    hasStatistics: minor >= 8,
    hasAsicPage: minor >= 7,
    unknownPath: minor >= 9 ? 'json404' : 'redirect',
    keys: Object.freeze(keys),
  });
  cache.set(release, made);
  return made;
}
