import type { Json } from './axeosInfo.js';
import type { MinerModel, MinerSnapshot } from './model.js';
import { round } from './model.js';

/**
 * The keys NerdQAxe's GET /api/system/info writes. `temp` is not in the firmware's key list
 * but its notes define it (the hottest chip), so it is served too.
 */
export const NERDQAXE_KEYS: readonly string[] = Object.freeze(
  `ASICModel absMaxFrequency absMaxVoltage asicCount asicTemps autofanspeed autoscreenoff bestDiff
  bestSessionDiff blockHeaders blockHeight can coinbaseValueTotalSatoshis coinbaseValueUserSatoshis
  coreVoltage coreVoltageActual current currentA defaultCoreVoltage defaultFrequency deviceModel
  duplicateHWNonces fallbackStratumEnonceSubscribe fallbackStratumPort fallbackStratumTLS
  fallbackStratumURL fallbackStratumUser fanCount fanrpm fanrpm2 fans fanspeed fanspeed2 foundBlocks
  freeHeap freeHeapInt frequency hashRate hashRate_10m hashRate_1d hashRate_1h hashRate_1m history
  hostip hostname lastResetReason lastpingrtt macAddr manualFanSpeed maxPower networkDifficulty
  overheat_temp pidD pidI pidP pidTargetTemp poolDifficulty power recentpingloss runningPartition
  sharesAccepted sharesRejected shutdown smallCoreCount ssid stratum stratumDifficulty
  stratumEnonceSubscribe stratumPort stratumTLS stratumURL stratumUser temp totalFoundBlocks uptimeSeconds
  version voltage vrTemp vrTempInt wifiRSSI wifiStatus`
    .trim()
    .split(/\s+/),
);

/** Present only once a pool job arrived, as on AxeOS. */
const JOB_KEYS = new Set([
  'blockHeight',
  'networkDifficulty',
  'coinbaseValueTotalSatoshis',
  'coinbaseValueUserSatoshis',
]);

export interface NerdQaxeContext {
  readonly m: MinerModel;
  readonly s: MinerSnapshot;
  readonly version: string;
  readonly deviceModel: string;
  readonly host: string;
  /** `ts` and `limit` of the query: with them, `history` is added. */
  readonly history?: { readonly ts: number; readonly limit: number };
}

const HISTORY_PERIOD_MS = 30_000;

function history(c: NerdQaxeContext, ts: number, limit: number): Json {
  // Samples every 30 s since boot, those at or after `ts` (ms since boot), at most `limit`.
  const timestamps: number[] = [];
  const first = Math.max(1, Math.ceil(ts / HISTORY_PERIOD_MS));
  for (let k = first; k * HISTORY_PERIOD_MS <= c.s.sinceBootMs && timestamps.length < limit; k += 1) {
    timestamps.push(k * HISTORY_PERIOD_MS);
  }
  const series = (v: number) => timestamps.map((_, i) => round(v * (1 + 0.004 * Math.sin(i)), 2));
  return {
    hashrate_10m: series(c.s.hashrate10mGh),
    hashrate_1h: series(c.s.hashrate1hGh),
    hashrate_1d: series(c.s.hashrate1hGh),
    timestamps,
    timestampBase: 0,
  };
}

const VALUES: Readonly<Record<string, (c: NerdQaxeContext) => Json>> = {
  ASICModel: (c) => c.m.asicModel,
  absMaxFrequency: () => 800,
  absMaxVoltage: () => 1400,
  asicCount: (c) => c.m.asicCount,
  // NerdQAxe reports the hottest chip as `temp`; every chip is here.
  asicTemps: (c) => [...c.s.chipTempsC],
  autofanspeed: () => 1,
  autoscreenoff: () => 0,
  bestDiff: (c) => c.s.bestDiff,
  bestSessionDiff: (c) => c.s.bestSessionDiff,
  blockHeaders: () => [],
  blockHeight: (c) => c.s.blockHeight,
  can: () => ({ enabled: false }),
  coinbaseValueTotalSatoshis: () => 314_343_211,
  coinbaseValueUserSatoshis: () => 314_343_211,
  coreVoltage: (c) => c.m.coreVoltageMv,
  coreVoltageActual: (c) => c.s.coreVoltageActualMv,
  current: (c) => c.s.currentMa,
  currentA: (c) => round(c.s.currentMa / 1000, 3),
  defaultCoreVoltage: (c) => c.m.coreVoltageMv,
  defaultFrequency: (c) => c.m.frequencyMhz,
  deviceModel: (c) => c.deviceModel,
  duplicateHWNonces: () => 0,
  fallbackStratumEnonceSubscribe: () => 0,
  fallbackStratumPort: () => 3333,
  fallbackStratumTLS: () => 0,
  fallbackStratumURL: () => 'solo.ckpool.org',
  fallbackStratumUser: (c) => c.m.poolUser,
  fanCount: () => 2,
  fanrpm: (c) => c.s.fanRpm,
  fanrpm2: (c) => c.s.fanRpm - 40,
  fans: (c) => [
    { rpm: c.s.fanRpm, speed: c.s.fanPercent },
    { rpm: c.s.fanRpm - 40, speed: c.s.fanPercent },
  ],
  fanspeed: (c) => c.s.fanPercent,
  fanspeed2: (c) => c.s.fanPercent,
  foundBlocks: () => 0,
  freeHeap: (c) => c.s.freeHeap,
  freeHeapInt: (c) => Math.round(c.s.freeHeap / 3),
  frequency: (c) => c.m.frequencyMhz,
  hashRate: (c) => round(c.s.hashrateGh, 2),
  hashRate_10m: (c) => round(c.s.hashrate10mGh, 2),
  hashRate_1d: (c) => round(c.s.hashrate1hGh, 2),
  hashRate_1h: (c) => round(c.s.hashrate1hGh, 2),
  hashRate_1m: (c) => round(c.s.hashrate1mGh, 2),
  history: (c) => (c.history ? history(c, c.history.ts, c.history.limit) : null),
  hostip: (c) => c.host,
  hostname: (c) => c.m.hostname,
  lastResetReason: (c) => c.s.resetReason,
  lastpingrtt: () => 12.4,
  macAddr: (c) => c.m.mac,
  manualFanSpeed: () => 100,
  maxPower: () => 100,
  networkDifficulty: (c) => c.s.networkDifficulty,
  overheat_temp: () => 70,
  pidD: () => 1,
  pidI: () => 2,
  pidP: () => 6,
  pidTargetTemp: () => 55,
  poolDifficulty: (c) => c.s.poolDifficulty,
  power: (c) => c.s.powerW,
  recentpingloss: () => 0,
  runningPartition: () => 'ota_0',
  sharesAccepted: (c) => c.s.sharesAccepted,
  sharesRejected: (c) => c.s.sharesRejected,
  shutdown: () => false,
  smallCoreCount: (c) => c.m.smallCoreCount,
  ssid: () => 'miners',
  stratum: (c) => ({ poolMode: 0, usingFallback: false, totalBestDiff: c.s.bestDiff }),
  stratumDifficulty: () => 1000,
  stratumEnonceSubscribe: () => 0,
  stratumPort: (c) => c.m.poolPort,
  stratumTLS: () => 0,
  stratumURL: (c) => c.m.poolUrl,
  stratumUser: (c) => c.m.poolUser,
  totalFoundBlocks: () => 0,
  uptimeSeconds: (c) => c.s.uptimeSeconds,
  version: (c) => c.version,
  voltage: (c) => c.s.inputVoltageMv * 2.4,
  vrTemp: (c) => c.s.vrTempC,
  vrTempInt: (c) => Math.round(c.s.vrTempC),
  wifiRSSI: (c) => c.s.wifiRssi,
  wifiStatus: () => 'Connected!',
  temp: (c) => Math.max(...c.s.chipTempsC),
};

/** GET /api/system/info of a NerdQAxe: `temp` is the hottest chip, bestDiff a number. */
export function buildNerdQaxeInfo(c: NerdQaxeContext): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const key of NERDQAXE_KEYS) {
    if (JOB_KEYS.has(key) && !c.s.jobArrived) continue;
    if (key === 'history' && !c.history) continue;
    out[key] = VALUES[key]?.(c) ?? null;
  }
  return out;
}
