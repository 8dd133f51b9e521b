/**
 * cgminer API replies to a MinerSample. `summary` is required; every other section is optional:
 * forks differ, and a missing one costs only its fields. Each family keeps its hardware data in
 * its own place, read by its own reader:
 * - Avalon: the estats/stats "MM ID<n>" Key[value] string (avalonReading.ts);
 * - Antminer stock (bmminer) and LuxOS: the board item of `stats` (antminerReading.ts), LuxOS's
 *   measured power in `power`;
 * - Braiins OS (bosminer): `temps` and `fans` (bosminerReading.ts).
 * The hashrate is the steadiest window of `summary` (never the 5-second one).
 */
import type { CgminerReply, JoinedReplies } from '../cgminer/CgminerClient.js';
import { type EstatsValue, parseEstats } from '../cgminer/estats.js';
import { steadyHashrateGhs } from '../cgminer/hashrateWindows.js';
import { MinerResponseError } from '../errors.js';
import type { MinerIdentity, MinerSample } from '../MinerSample.js';
import { FieldReader, isRecord } from '../parse/FieldReader.js';
import { normalizeMac } from '../parse/units.js';
import { isAntminerStats, readAntminerStats } from './antminerReading.js';
import { avalonPaused, readAvalon } from './avalonReading.js';
import { readBosminer } from './bosminerReading.js';
import { type HardwareReading, maxOrNull, mean, NO_HARDWARE_READING, sensor } from './hardwareReading.js';

/**
 * What one poll asks, joined with `+` where the device allows. `stats` holds Antminer's boards
 * and Avalon's MM strings, `estats` the same for enabled devices only (older Avalon tools ask it),
 * `temps`/`fans` are bosminer's, `power` LuxOS's; a device answers the ones it lacks with
 * "Invalid command", which costs nothing.
 */
export const SAMPLE_COMMANDS = [
  'summary',
  'pools',
  'devs',
  'stats',
  'estats',
  'coin',
  'version',
  'temps',
  'fans',
  'power',
] as const;

/** cgminer's MSG_INVCMD: the device does not have this command. */
const INVALID_COMMAND = 14;

/** Sections some families lack: "Invalid command" for them is expected, not worth a warning. */
const FAMILY_SECTIONS = new Set(['stats', 'estats', 'temps', 'fans', 'power', 'coin', 'devs']);

export type ReplyOrError = CgminerReply | MinerResponseError | undefined;

export function items(reply: ReplyOrError, section: string): Record<string, unknown>[] {
  if (reply === undefined || reply instanceof MinerResponseError) return [];
  const list = reply.data[section];
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

/**
 * A number from a device value that should be one: numbers and numeric strings only. `Number()`
 * on an object calls its toString, which a device can set to a non-function and make it throw.
 */
export function numberOf(value: unknown): number | null {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/** The pool in use: the alive one with the best (lowest) priority, else the first. */
export function activePool(pools: Record<string, unknown>[]): Record<string, unknown> | undefined {
  const alive = pools.filter((pool) => pool.Status === 'Alive' || pool['Stratum Active'] === true);
  const active = alive.filter((pool) => pool['Stratum Active'] === true);
  const candidates = active.length > 0 ? active : alive.length > 0 ? alive : pools;
  return [...candidates].sort((a, b) => (numberOf(a.Priority) ?? 0) - (numberOf(b.Priority) ?? 0))[0];
}

const MM_KEY = /^MM ID\d+(?::Summary)?$/;

/** The Avalon "MM ID<n>" strings of a stats/estats reply, parsed; one per module. */
export function readEstats(reply: ReplyOrError): Record<string, EstatsValue>[] {
  const out: Record<string, EstatsValue>[] = [];
  for (const item of items(reply, 'STATS')) {
    for (const [key, value] of Object.entries(item)) {
      if (MM_KEY.test(key) && typeof value === 'string') out.push(parseEstats(value));
    }
  }
  return out;
}

function text(item: Record<string, unknown>, key: string): string | null {
  const value = item[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * The miner program's name and version as `version` gives them, most specific first. BOSer is
 * Braiins OS 22+ (its VERSION holds only API and BOSer); BOSminer(+) the Braiins OS before it.
 */
const MINER_PROGRAMS = [
  'LUXminer',
  'BOSer',
  'BOSminer+',
  'BOSminer',
  'BMMiner',
  'BTMiner',
  'CGMiner',
] as const;

/**
 * Identity from `version`: MAC (Avalon), model (Avalon PROD, Antminer Type) and firmware:
 * Avalon's LVERSION or (A-series) VERSION, else the miner program and version (LUXminer, BOSer, BOSminer+, bmminer with the
 * Antminer firmware's own number), else the STATUS description.
 */
export function readCgminerIdentity(version: ReplyOrError): MinerIdentity {
  const item = items(version, 'VERSION')[0] ?? {};
  const program = MINER_PROGRAMS.find((name) => text(item, name) !== null);
  const description =
    version instanceof MinerResponseError || version === undefined ? null : version.status.description;
  // Avalon: LVERSION (Nano 3s, Q, Mini 3), or VERSION on the A-series (A1246, A15), which sends
  // no LVERSION; VERSION is only read beside PROD, the mark of Canaan's version reply.
  let firmware = text(item, 'LVERSION') ?? (text(item, 'PROD') === null ? null : text(item, 'VERSION'));
  if (firmware === null && program !== undefined && program !== 'CGMiner') {
    const build = program === 'BMMiner' ? text(item, 'Miner') : null;
    firmware = `${program} ${text(item, program)}${build === null ? '' : ` (${build})`}`;
  }
  return {
    kind: 'cgminer',
    mac: normalizeMac(item.MAC),
    hostname: null,
    firmware: firmware ?? description ?? (program === undefined ? null : `cgminer ${text(item, program)}`),
    asicModel: null,
    deviceModel: text(item, 'PROD') ?? text(item, 'Type') ?? text(item, 'MODEL'),
  };
}

/** The family's hardware reading, from wherever this device keeps it. */
function readHardware(replies: JoinedReplies, warnings: string[]): HardwareReading {
  const modules = readEstats(replies.get('estats'));
  if (modules.length > 0) return readAvalon(modules);
  const statsModules = readEstats(replies.get('stats'));
  if (statsModules.length > 0) return readAvalon(statsModules);
  const statsItems = [...items(replies.get('stats'), 'STATS'), ...items(replies.get('estats'), 'STATS')];
  const boards = statsItems.find(isAntminerStats);
  if (boards !== undefined) {
    const banner = statsItems.find((item) => text(item, 'Type') !== null);
    return readAntminerStats(boards, banner === undefined ? null : text(banner, 'Type'), warnings);
  }
  const temps = replies.get('temps');
  const fans = replies.get('fans');
  if (items(temps, 'TEMPS').length > 0 || items(fans, 'FANS').length > 0) {
    return readBosminer(
      temps instanceof MinerResponseError ? undefined : temps?.data,
      fans instanceof MinerResponseError ? undefined : fans?.data,
      warnings,
    );
  }
  // Plain cgminer: the device temperature its driver reports per device, if any.
  const devTemps = items(replies.get('devs'), 'DEVS')
    .map((dev) => numberOf(dev.Temperature))
    .filter(sensor);
  return {
    ...NO_HARDWARE_READING,
    temperatureC: mean(devTemps),
    maxChipTemperatureC: maxOrNull(devTemps),
    chipTemperaturesC: devTemps,
  };
}

/**
 * The fields every cgminer-API firmware (btminer included) writes the same way: shares, best
 * share, uptime from `summary`, and the pool in use from `pools`.
 */
export function readSharesAndPool(
  s: FieldReader,
  p: FieldReader,
): Pick<
  MinerSample,
  | 'sharesAccepted'
  | 'sharesRejected'
  | 'rejectReasons'
  | 'bestDifficulty'
  | 'sessionBestDifficulty'
  | 'uptimeS'
  | 'poolUrl'
  | 'poolUser'
  | 'poolDifficulty'
  | 'blockHeight'
  | 'blocksFound'
> {
  const bestShare = s.difficulty('Best Share');
  const blockHeight = p.number('Current Block Height');
  return {
    sharesAccepted: s.number('Accepted'),
    sharesRejected: s.number('Rejected'),
    rejectReasons: [],
    bestDifficulty: bestShare,
    sessionBestDifficulty: bestShare,
    uptimeS: s.number('Elapsed'),
    poolUrl: p.string('URL'),
    poolUser: p.string('User'),
    poolDifficulty: p.number('Stratum Difficulty', 'Work Difficulty', 'Last Share Difficulty'),
    blockHeight: blockHeight !== null && blockHeight > 0 ? blockHeight : null,
    blocksFound: s.number('Found Blocks'),
  };
}

/** LuxOS's `power` command: the firmware's watts for the whole machine. */
function luxPowerW(reply: ReplyOrError): number | null {
  const watts = numberOf(items(reply, 'POWER')[0]?.Watts);
  return sensor(watts) ? watts : null;
}

function collectWarnings(replies: JoinedReplies): string[] {
  const warnings: string[] = [];
  for (const [name, reply] of replies) {
    if (reply instanceof MinerResponseError) {
      const absent = reply.statusCode === INVALID_COMMAND && FAMILY_SECTIONS.has(name);
      if (name !== 'summary' && !absent) warnings.push(reply.message);
    } else warnings.push(...reply.warnings);
  }
  return warnings;
}

export function readCgminerSample(replies: JoinedReplies, timestamp: number): MinerSample {
  const summaryReply = replies.get('summary');
  const warnings = collectWarnings(replies);
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
  const coinItem = items(replies.get('coin'), 'COIN')[0];
  const identity = readCgminerIdentity(replies.get('version'));
  const hardware = readHardware(replies, warnings);
  const networkDifficulty = coinItem === undefined ? null : numberOf(coinItem['Network Difficulty']);
  const estats = readEstats(replies.get('estats'))[0] ?? readEstats(replies.get('stats'))[0];

  return {
    timestamp,
    kind: 'cgminer',
    hashrateGhs: steadyHashrateGhs(s) ?? hardware.hashrateGhs,
    expectedHashrateGhs: hardware.expectedHashrateGhs,
    temperatureC: hardware.temperatureC,
    maxChipTemperatureC: hardware.maxChipTemperatureC,
    chipTemperaturesC: hardware.chipTemperaturesC,
    vrTemperatureC: null,
    boardTemperaturesC: hardware.boardTemperaturesC,
    chipTempLimitC: hardware.chipTempLimitC,
    vrTempLimitC: null,
    powerW: hardware.powerW ?? luxPowerW(replies.get('power')),
    inputVoltageV: null,
    currentA: null,
    fanRpm: hardware.fanRpm,
    fanPercent: hardware.fanPercent,
    ...readSharesAndPool(s, p),
    firmware: identity.firmware,
    asicModel: identity.asicModel,
    deviceModel: identity.deviceModel ?? hardware.deviceModel,
    hostname: identity.hostname,
    mac: identity.mac,
    networkDifficulty:
      networkDifficulty !== null && Number.isFinite(networkDifficulty) && networkDifficulty > 0
        ? networkDifficulty
        : null,
    resetReason: null,
    // An Avalon says whether it is soft off; other cgminer firmware cannot be paused this way.
    paused: avalonPaused(estats),
    backfilled: false,
    raw: {
      summary: s.unread(),
      ...(estats === undefined ? {} : { estats }),
    },
    warnings,
  };
}
