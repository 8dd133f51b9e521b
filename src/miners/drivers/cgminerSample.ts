/**
 * cgminer API replies (summary, pools, devs, estats, coin, version) to a MinerSample. Every
 * section but summary is optional: forks differ, and a missing one costs only its fields.
 * Hashrates come as "MHS x" (cgminer, Antminer) or "GHS x" (some forks); Avalon packs its
 * temperatures, fans and power into the estats "MM ID0" Key[value] string.
 */
import type { CgminerReply, JoinedReplies } from '../cgminer/CgminerClient.js';
import { type EstatsValue, estatsNumber, estatsNumbers, parseEstats } from '../cgminer/estats.js';
import { MinerResponseError } from '../errors.js';
import type { MinerIdentity, MinerSample } from '../MinerSample.js';
import { FieldReader, isRecord } from '../parse/FieldReader.js';
import { maxOf, normalizeMac } from '../parse/units.js';

export const SAMPLE_COMMANDS = ['summary', 'pools', 'devs', 'estats', 'coin', 'version'] as const;

/** Hashrate windows, most current first. */
const WINDOWS = ['5s', '30s', '1m', '5m', '15m', 'av'] as const;

function items(
  reply: CgminerReply | MinerResponseError | undefined,
  section: string,
): Record<string, unknown>[] {
  if (reply === undefined || reply instanceof MinerResponseError) return [];
  const list = reply.data[section];
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

/** GH/s from "GHS <w>" or "MHS <w>" (divided by 1000), most current window first. */
export function readHashrateGhs(r: FieldReader): number | null {
  for (const window of WINDOWS) {
    const ghs = r.number(`GHS ${window}`);
    if (ghs !== null) return ghs;
    const mhs = r.number(`MHS ${window}`);
    if (mhs !== null) return mhs / 1000;
  }
  return null;
}

/**
 * A number from a device value that should be one: numbers and numeric strings only. `Number()`
 * on an object calls its toString, which a device can set to a non-function and make it throw.
 */
function numberOf(value: unknown): number | null {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/** The pool in use: the alive one with the best (lowest) priority, else the first. */
function activePool(pools: Record<string, unknown>[]): Record<string, unknown> | undefined {
  const alive = pools.filter((pool) => pool.Status === 'Alive' || pool['Stratum Active'] === true);
  const candidates = alive.length > 0 ? alive : pools;
  return [...candidates].sort((a, b) => (numberOf(a.Priority) ?? 0) - (numberOf(b.Priority) ?? 0))[0];
}

/** The estats "MM ID0" strings (Avalon), parsed; one per MM. */
export function readEstats(
  reply: CgminerReply | MinerResponseError | undefined,
): Record<string, EstatsValue>[] {
  const out: Record<string, EstatsValue>[] = [];
  for (const item of items(reply, 'STATS')) {
    for (const [key, value] of Object.entries(item)) {
      if (/^MM ID\d+$/.test(key) && typeof value === 'string') out.push(parseEstats(value));
    }
  }
  return out;
}

function numbered(record: Record<string, unknown>, pattern: RegExp): number[] {
  return Object.entries(record)
    .filter(
      ([key, value]) => pattern.test(key) && typeof value === 'number' && Number.isFinite(value) && value > 0,
    )
    .map(([, value]) => value as number);
}

/** Identity from `version`: MAC (Avalon), product, firmware. */
export function readCgminerIdentity(version: CgminerReply | MinerResponseError | undefined): MinerIdentity {
  const item = items(version, 'VERSION')[0] ?? {};
  const text = (key: string): string | null =>
    typeof item[key] === 'string' && item[key] !== '' ? (item[key] as string) : null;
  const miner = text('CGMiner') ?? text('BMMiner') ?? text('BOSminer') ?? text('BTMiner');
  const description =
    version instanceof MinerResponseError || version === undefined ? null : version.status.description;
  return {
    kind: 'cgminer',
    mac: normalizeMac(item.MAC),
    hostname: null,
    firmware: text('LVERSION') ?? description ?? (miner === null ? null : `cgminer ${miner}`),
    asicModel: null,
    deviceModel: text('PROD') ?? text('Type') ?? text('MODEL'),
  };
}

export function readCgminerSample(replies: JoinedReplies, timestamp: number): MinerSample {
  const summaryReply = replies.get('summary');
  const warnings: string[] = [];
  for (const [name, reply] of replies) {
    if (reply instanceof MinerResponseError) {
      if (name !== 'summary') warnings.push(reply.message);
    } else warnings.push(...reply.warnings);
  }
  if (summaryReply === undefined || summaryReply instanceof MinerResponseError) {
    throw summaryReply ?? new MinerResponseError('cgminer: no summary in the answer', { status: 'shape' });
  }
  const summaryItem = items(summaryReply, 'SUMMARY')[0];
  if (summaryItem === undefined) {
    throw new MinerResponseError('cgminer summary: the answer has no SUMMARY section', { status: 'shape' });
  }
  const s = new FieldReader(summaryItem, 'SUMMARY.', warnings);
  const pool = activePool(items(replies.get('pools'), 'POOLS'));
  const p = new FieldReader(pool ?? {}, 'POOLS.', warnings);
  const devices = items(replies.get('devs'), 'DEVS');
  const devTemps = devices
    .map((dev) => dev.Temperature)
    .filter((t): t is number => typeof t === 'number' && Number.isFinite(t) && t > 0);
  const statsItems = items(replies.get('estats'), 'STATS');
  const mm = readEstats(replies.get('estats'));
  const first = mm[0];
  const antStats = statsItems.find((item) =>
    Object.keys(item).some((key) => /^temp\d+$/.test(key) || /^fan\d+$/.test(key)),
  );
  const coinItem = items(replies.get('coin'), 'COIN')[0];
  const identity = readCgminerIdentity(replies.get('version'));

  const chipTemps =
    devTemps.length > 0 ? devTemps : antStats === undefined ? [] : numbered(antStats, /^temp\d+$/);
  const mmMax = mm.map((m) => estatsNumber(m.MTmax ?? m.TMax)).filter((t): t is number => t !== null);
  const mmAvg = mm.map((m) => estatsNumber(m.MTavg ?? m.TAvg)).filter((t): t is number => t !== null);
  const fans =
    first !== undefined
      ? Object.keys(first)
          .filter((key) => /^Fan\d+$/.test(key))
          .map((key) => estatsNumber(first[key]))
          .filter((rpm): rpm is number => rpm !== null)
      : antStats === undefined
        ? []
        : numbered(antStats, /^fan\d+$/);
  const power = first?.PS === undefined ? null : (estatsNumbers(first.PS).at(-2) ?? null);
  const networkDifficulty = coinItem === undefined ? null : numberOf(coinItem['Network Difficulty']);
  const blockHeight = p.number('Current Block Height');
  const bestShare = s.difficulty('Best Share');
  const hashrate = readHashrateGhs(s) ?? (first === undefined ? null : estatsNumber(first.GHSspd));
  const expected =
    first !== undefined
      ? estatsNumber(first.GHSmm)
      : antStats === undefined
        ? null
        : new FieldReader(antStats, 'STATS.', warnings).number('total_rateideal');
  const average = chipTemps.length > 0 ? chipTemps.reduce((a, b) => a + b, 0) / chipTemps.length : null;
  const temperature = mmAvg.length > 0 ? maxOf(mmAvg) : average;
  const hottest = mmMax.length > 0 ? maxOf(mmMax) : chipTemps.length > 0 ? maxOf(chipTemps) : temperature;

  return {
    timestamp,
    kind: 'cgminer',
    hashrateGhs: hashrate,
    expectedHashrateGhs: expected,
    temperatureC: temperature,
    maxChipTemperatureC: hottest,
    chipTemperaturesC: chipTemps,
    vrTemperatureC: null,
    boardTemperaturesC: [],
    chipTempLimitC: null,
    vrTempLimitC: null,
    powerW: power,
    inputVoltageV: null,
    currentA: null,
    fanRpm: fans,
    fanPercent: first === undefined ? null : estatsNumber(first.FanR),
    sharesAccepted: s.number('Accepted'),
    sharesRejected: s.number('Rejected'),
    rejectReasons: [],
    bestDifficulty: bestShare,
    sessionBestDifficulty: bestShare,
    uptimeS: s.number('Elapsed'),
    poolUrl: p.string('URL'),
    poolUser: p.string('User'),
    poolDifficulty: p.number('Stratum Difficulty', 'Work Difficulty', 'Last Share Difficulty'),
    firmware: identity.firmware,
    asicModel: identity.asicModel,
    deviceModel: identity.deviceModel,
    hostname: identity.hostname,
    mac: identity.mac,
    networkDifficulty:
      networkDifficulty !== null && Number.isFinite(networkDifficulty) && networkDifficulty > 0
        ? networkDifficulty
        : null,
    blockHeight: blockHeight !== null && blockHeight > 0 ? blockHeight : null,
    blocksFound: s.number('Found Blocks'),
    resetReason: null,
    backfilled: false,
    raw: {
      summary: s.unread(),
      ...(first === undefined ? {} : { estats: first }),
    },
    warnings,
  };
}
