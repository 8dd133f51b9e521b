import type { AxeosRelease, FirmwareType } from './axeosReleases.js';
import { formatDifficulty } from './diffFormat.js';
import type { MinerModel, MinerSnapshot } from './model.js';
import { round } from './model.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Settings of an AxeOS device that are not dynamics. */
export interface AxeosSettings {
  /** @default '601' */
  boardVersion?: string;
  /** @default 'Gamma' */
  deviceModel?: string;
  /** Shown as `power_fault` (a VR fault) while set. */
  powerFault?: string;
  /** Shown as `hardware_fault` while set. */
  hardwareFault?: string;
  /** Seconds between statistics samples; 0 turns them off. @default 120 */
  statsFrequencySeconds?: number;
  /** The address it reports as its own (`ipv4`). */
  ipv4?: string;
}

interface InfoContext {
  readonly m: MinerModel;
  readonly s: MinerSnapshot;
  readonly r: AxeosRelease;
  readonly settings: AxeosSettings;
}

const FALLBACK_URL = 'solo.ckpool.org';
const BLOCK_REWARD_SATS = 312_500_000;

function pools(c: InfoContext): Json {
  const pool = (id: number, url: string, port: number): Json => ({
    id,
    stratumURL: url,
    stratumPort: port,
    stratumUser: c.m.poolUser,
    stratumPassword: 'x',
    stratumProtocol: 'SV1',
    stratumSuggestedDifficulty: 1000,
    stratumExtranonceSubscribe: false,
    stratumTLS: 0,
    stratumCert: '',
    stratumDecodeCoinbase: true,
    stratumV2ChannelType: 'standard',
    stratumV2AuthorityPubkey: '',
    stratumV2RequireAuth: false,
  });
  return [pool(0, c.m.poolUrl, c.m.poolPort), pool(1, FALLBACK_URL, 3333)];
}

/** How each key gets its value; the release's declared type then decides the JSON form. */
const VALUES: Readonly<Record<string, (c: InfoContext) => Json>> = {
  ASICModel: (c) => c.m.asicModel,
  actualFrequency: (c) =>
    round(c.m.frequencyMhz * (1 - 0.002 * Math.abs(c.s.hashrateGh / c.s.expectedHashrateGh - 1)), 2),
  apEnabled: () => 0,
  asicCount: (c) => c.m.asicCount,
  autofanspeed: () => 1,
  axeOSVersion: (c) => c.r.version,
  bestDiff: (c) => c.s.bestDiff,
  bestNonceDiff: (c) => c.s.bestDiff,
  bestSessionDiff: (c) => c.s.bestSessionDiff,
  blockFound: () => 0,
  blockHeight: (c) => c.s.blockHeight,
  blockSignals: () => [],
  boardVersion: (c) => c.settings.boardVersion ?? '601',
  coinbaseOutputs: (c) => [{ value: BLOCK_REWARD_SATS, address: c.m.poolUser.split('.')[0] ?? '' }],
  coinbaseValueTotalSatoshis: () => BLOCK_REWARD_SATS + 1_843_211,
  coinbaseValueUserSatoshis: () => BLOCK_REWARD_SATS + 1_843_211,
  coreVoltage: (c) => c.m.coreVoltageMv,
  coreVoltageActual: (c) => c.s.coreVoltageActualMv,
  cpuUsage: () => 12.5,
  current: (c) => c.s.currentMa,
  display: () => 'SSD1306 (128x32)',
  displayTimeout: () => -1,
  errorPercentage: () => 0.12,
  expectedHashrate: (c) => c.s.expectedHashrateGh,
  fallbackStratumCert: () => '',
  fallbackStratumDecodeCoinbase: () => true,
  fallbackStratumExtranonceSubscribe: () => false,
  fallbackStratumPort: () => 3333,
  fallbackStratumProtocol: () => 'SV1',
  fallbackStratumSuggestedDifficulty: () => 1000,
  fallbackStratumTLS: () => 0,
  fallbackStratumURL: () => FALLBACK_URL,
  fallbackStratumUser: (c) => c.m.poolUser,
  fallbackStratumV2AuthorityPubkey: () => '',
  fallbackStratumV2ChannelType: () => 'standard',
  fan2rpm: () => 0,
  fanrpm: (c) => c.s.fanRpm,
  // Up to v2.1 `fanSpeed` is the tachometer's RPM (v2.1.3 Ultra: "fanSpeed": 5320).
  fanSpeed: (c) => c.s.fanRpm,
  fanspeed: (c) => c.s.fanPercent,
  flipscreen: () => 1,
  freeHeap: (c) => c.s.freeHeap,
  freeHeapInternal: (c) => Math.round(c.s.freeHeap / 3),
  freeHeapSpiram: (c) => c.s.freeHeap * 10,
  frequency: (c) => c.m.frequencyMhz,
  fullHostname: (c) => `${c.m.hostname}.local`,
  hardware_fault: (c) => c.settings.hardwareFault ?? '',
  hashRate: (c) => round(c.s.hashrateGh, 4),
  hashRate_1m: (c) => round(c.s.hashrate1mGh, 4),
  hashRate_10m: (c) => round(c.s.hashrate10mGh, 4),
  hashRate_1h: (c) => round(c.s.hashrate1hGh, 4),
  hashrateMonitor: (c) => ({
    asics: c.s.chipTempsC.map(() => {
      const total = round(c.s.hashrateGh / Math.max(1, c.m.asicCount), 2);
      return { total, domains: [1, 2, 3, 4].map(() => round(total / 4, 2)), errorCount: 0 };
    }),
  }),
  hostname: (c) => c.m.hostname,
  idfVersion: () => 'v5.4.1',
  invertfanpolarity: () => 1,
  invertscreen: () => 0,
  ipv4: (c) => c.settings.ipv4 ?? '127.0.0.1',
  ipv6: () => '',
  isPSRAMAvailable: () => 1,
  isUsingFallbackStratum: () => 0,
  macAddr: (c) => c.m.mac,
  manualFanSpeed: () => 100,
  maxAllocHeap: () => 110_592,
  maxPower: () => 40,
  mdnsHostname: (c) => c.m.hostname,
  minFanSpeed: () => 25,
  minFreeHeap: () => 150_000,
  miningPaused: () => false,
  networkDifficulty: (c) => c.s.networkDifficulty,
  nominalVoltage: () => 5,
  overclockEnabled: () => 0,
  overheat_mode: () => 0,
  partitions: (c) => [
    {
      label: 'factory',
      version: null,
      compileDate: null,
      compileTime: null,
      isCurrent: false,
      isFactory: true,
      usagePercent: null,
    },
    {
      label: 'ota_0',
      version: c.r.version,
      compileDate: 'Jun  2 2025',
      compileTime: '12:00:00',
      isCurrent: true,
      isFactory: false,
      usagePercent: 71,
    },
  ],
  poolAddrFamily: () => 2,
  poolConnectionInfo: () => 'IPv4',
  poolDifficulty: (c) => c.s.poolDifficulty,
  pools,
  power: (c) => c.s.powerW,
  power_fault: (c) => c.settings.powerFault ?? '',
  primaryPoolIndex: () => 0,
  processTime: () => 0.8,
  resetReason: (c) => c.s.resetReason,
  responseShareBatch: () => 1,
  responseTime: () => 45.3,
  rotation: () => 0,
  runningPartition: () => 'ota_0',
  scriptsig: () => '/solo.ckpool.org/',
  secondaryPoolIndex: () => 1,
  sharesAccepted: (c) => c.s.sharesAccepted,
  sharesPending: () => 0,
  sharesRejected: (c) => c.s.sharesRejected,
  sharesRejectedReasons: (c) => c.s.rejectedReasons.map((r) => ({ message: r.message, count: r.count })),
  showNewBlock: () => false,
  smallCoreCount: (c) => c.m.smallCoreCount,
  ssid: () => 'miners',
  statsDuration: () => 24,
  statsFrequency: (c) => c.settings.statsFrequencySeconds ?? 120,
  statsLimit: () => 720,
  stratumCert: () => '',
  stratumDecodeCoinbase: () => true,
  stratumDiff: (c) => c.s.poolDifficulty,
  stratumExtranonceSubscribe: () => false,
  stratumPort: (c) => c.m.poolPort,
  stratumProtocol: () => 'SV1',
  stratumSuggestedDifficulty: () => 1000,
  stratumTLS: () => 0,
  stratumURL: (c) => c.m.poolUrl,
  stratumUser: (c) => c.m.poolUser,
  stratumV2AuthorityPubkey: () => '',
  stratumV2ChannelType: () => 'standard',
  temp: (c) => c.s.chipTempC,
  temp2: (c) => round(c.s.chipTempC + 0.6, 2),
  temptarget: () => 60,
  totalHashes: (c) => Math.round(c.s.expectedHashrateGh * 1e9 * c.s.uptimeSeconds),
  totalLog2Work: (c) => round(Math.log2(Math.max(1, c.s.expectedHashrateGh * 1e9 * c.s.uptimeSeconds)), 4),
  totalUptimeSeconds: (c) => c.s.uptimeSeconds + 86_400 * 30,
  uptimeSeconds: (c) => c.s.uptimeSeconds,
  useCustomWWW: () => 0,
  useFallbackStratum: () => 0,
  version: (c) => c.r.version,
  voltage: (c) => c.s.inputVoltageMv,
  vrTemp: (c) => c.s.vrTempC,
  wifiPass: () => 'password',
  wifiRSSI: (c) => c.s.wifiRssi,
  wifiStatus: () => 'Connected!',
  workReceived: (c) => Math.floor(c.s.uptimeSeconds / 10),
};

/** Casts a natural value to the form the release's type declares (0/1 for booleans and so on). */
function asType(value: Json, type: FirmwareType, c: InfoContext, key: string): Json {
  switch (type) {
    case 'String':
      if ((key === 'bestDiff' || key === 'bestSessionDiff') && typeof value === 'number') {
        return c.r.diffFormat === 'number' ? String(value) : formatDifficulty(value, c.r.diffFormat);
      }
      return typeof value === 'string' ? value : String(value);
    case 'Number':
    case 'Float':
      if (typeof value === 'boolean') return value ? 1 : 0;
      return typeof value === 'number' ? (type === 'Float' ? round(value, 3) : value) : Number(value);
    case 'Bool':
      return typeof value === 'number' ? value !== 0 : Boolean(value);
    default:
      return value;
  }
}

/** GET /api/system/info as the release writes it; conditional keys only when their time comes. */
export function buildAxeosInfo(
  model: MinerModel,
  snapshot: MinerSnapshot,
  release: AxeosRelease,
  settings: AxeosSettings,
): Record<string, Json> {
  const c: InfoContext = { m: model, s: snapshot, r: release, settings };
  const out: Record<string, Json> = {};
  for (const { key, types, role } of release.keys) {
    if (role === 'job' && !snapshot.jobArrived) continue;
    if (role === 'fault' && !(key === 'power_fault' ? settings.powerFault : settings.hardwareFault)) continue;
    if (role !== 'info' && role !== 'job' && role !== 'fault') continue;
    const make = VALUES[key];
    const type = types[0] ?? 'Number';
    out[key] = asType(make ? make(c) : 0, type, c, key);
  }
  return out;
}

/** Names of the statistics columns the firmware knows, in the order it writes them. */
export const STATISTICS_COLUMNS: readonly string[] = Object.freeze([
  'hashrate',
  'hashrate_1m',
  'hashrate_10m',
  'hashrate_1h',
  'asicTemp',
  'vrTemp',
  'asicVoltage',
  'voltage',
  'power',
  'current',
  'fanSpeed',
  'fanRpm',
  'fan2Rpm',
  'wifiRssi',
  'freeHeap',
  'responseTime',
]);

export function statisticsColumn(column: string, s: MinerSnapshot): number {
  switch (column) {
    case 'hashrate':
      return round(s.hashrateGh, 2);
    case 'hashrate_1m':
      return round(s.hashrate1mGh, 2);
    case 'hashrate_10m':
      return round(s.hashrate10mGh, 2);
    case 'hashrate_1h':
      return round(s.hashrate1hGh, 2);
    case 'asicTemp':
      return s.chipTempC;
    case 'vrTemp':
      return s.vrTempC;
    case 'asicVoltage':
      return s.coreVoltageActualMv;
    case 'voltage':
      return s.inputVoltageMv;
    case 'power':
      return s.powerW;
    case 'current':
      return s.currentMa;
    case 'fanSpeed':
      return s.fanPercent;
    case 'fanRpm':
      return s.fanRpm;
    case 'fan2Rpm':
      return 0;
    case 'wifiRssi':
      return s.wifiRssi;
    case 'freeHeap':
      return s.freeHeap;
    default:
      return 45.3;
  }
}
