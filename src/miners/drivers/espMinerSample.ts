/**
 * /api/system/info of the ESP-Miner family (AxeOS and its NerdQAxe fork) to a MinerSample. The
 * two share most keys; each driver passes its own overrides for the fields that differ.
 */

import type { MinerKind, MinerSample, RejectReason } from '../MinerSample.js';
import { FieldReader, isRecord } from '../parse/FieldReader.js';
import { maxOf, milliampsToAmps, millivoltsToVolts, normalizeMac } from '../parse/units.js';

/** Never kept in `raw` (which is stored): secrets some releases echo back. */
export const SECRET_KEYS = ['wifiPass', 'stratumPassword', 'fallbackStratumPassword'] as const;

export type SampleOverrides = Partial<
  Omit<MinerSample, 'kind' | 'timestamp' | 'raw' | 'warnings' | 'backfilled'>
>;

/** Reads the fields both firmwares share; `extra` reads the kind's own ones from the same reader. */
export function readEspMinerSample(
  info: Record<string, unknown>,
  kind: MinerKind,
  timestamp: number,
  extra: (reader: FieldReader) => SampleOverrides,
): MinerSample {
  const r = new FieldReader(info);
  r.consume(...SECRET_KEYS);
  const own = extra(r);
  const frequency = r.number('frequency');
  const smallCoreCount = r.number('smallCoreCount');
  const asicCount = r.number('asicCount');
  const reported = r.number('expectedHashrate');
  // A product of device numbers can be anything (-1e308 MHz gives -Infinity): only a finite,
  // positive one is an expectation.
  const product =
    frequency !== null && smallCoreCount !== null && asicCount !== null
      ? (frequency * smallCoreCount * asicCount) / 1000
      : null;
  const derived = product !== null && Number.isFinite(product) && product > 0 ? product : null;
  const instantHashrate = r.number('hashRate');
  const minuteHashrate = r.number('hashRate_1m');
  const temperature = r.number('temp');
  const temp2 = r.number('temp2');
  const voltageMv = r.number('voltage');
  const currentMa = r.number('current');
  const fan = readFan(r);
  // Boards without a VR sensor (Max, early Ultra, most NerdQAxe releases without one) send 0.
  const vrTemp = r.number('vrTemp');
  // v2.0-era Hex builds report board sensors apart from the chip (boardtemp1/2); 0 is "none".
  const boardTemps = [r.number('boardtemp1'), r.number('boardtemp2')].filter(
    (t): t is number => t !== null && t > 0,
  );
  const usingFallback = r.boolean('isUsingFallbackStratum') === true;
  const pool = readPool(r, usingFallback ? 'fallbackStratum' : 'stratum');
  const chips =
    own.chipTemperaturesC ??
    (temp2 !== null && temp2 > 0 && temperature !== null ? [temperature, temp2] : []);
  const hottest = chips.length > 0 ? maxOf(chips) : temperature;

  // One literal with every key, overrides assigned onto it: `{ ...sample, raw }` (a spread, then
  // a key added) gives every object a hidden class of its own on V8 11 (Node 20), a Map and a
  // descriptor array per poll in the old generation (docs/bench/monitor.md).
  const sample: Mutable<MinerSample> = {
    timestamp,
    kind,
    // The 1-minute average where the release has one (v2.12+, NerdQAxe): steadier than the
    // instant reading, which swings with every few shares (DESIGN "Reading real devices").
    hashrateGhs: minuteHashrate ?? instantHashrate,
    expectedHashrateGhs: reported ?? derived,
    temperatureC: temperature,
    maxChipTemperatureC: hottest,
    chipTemperaturesC: chips,
    vrTemperatureC: vrTemp === null || vrTemp <= 0 ? null : vrTemp,
    boardTemperaturesC: boardTemps.length > 0 ? boardTemps : NO_TEMPERATURES,
    // AxeOS states no limit in its answers: its throttle points are compiled in (the per-model
    // table carries them); NerdQAxe's overheat settings come through `extra`.
    chipTempLimitC: null,
    vrTempLimitC: null,
    powerW: r.number('power'),
    inputVoltageV: voltageMv === null ? null : millivoltsToVolts(voltageMv),
    currentA: currentMa === null ? null : milliampsToAmps(currentMa),
    fanRpm: fan.rpm,
    fanPercent: fan.percent,
    sharesAccepted: r.number('sharesAccepted'),
    sharesRejected: r.number('sharesRejected'),
    rejectReasons: readRejectReasons(r),
    bestDifficulty: exactOrRounded(r, 'bestNonceDiff', 'bestDiff'),
    sessionBestDifficulty: exactOrRounded(r, 'bestSessionNonceDiff', 'bestSessionDiff'),
    uptimeS: r.number('uptimeSeconds'),
    poolUrl: pool.url,
    poolUser: pool.user,
    // v2.6-v2.8 `stratumDiff`; between v2.8 and v2.9 development builds called it
    // `stratumDifficulty` (ESP-Miner #1064), renamed to `poolDifficulty` before v2.9.0 (#1103).
    poolDifficulty: r.number('poolDifficulty', 'stratumDifficulty', 'stratumDiff'),
    firmware: r.string('axeOSVersion', 'version'),
    asicModel: r.string('ASICModel'),
    deviceModel: r.string('deviceModel'),
    hostname: nonEmpty(r.string('hostname')),
    mac: readMac(r),
    networkDifficulty: r.number('networkDifficulty'),
    blockHeight: r.number('blockHeight'),
    blocksFound: r.number('blockFound'),
    resetReason: r.string('resetReason'),
    // v2.14+ says when hashing is paused; older releases cannot be paused at all.
    paused: r.boolean('miningPaused'),
    backfilled: false,
    raw: NOTHING_UNREAD,
    warnings: r.warnings,
  };
  Object.assign(sample, own);
  sample.raw = r.unread();
  return sample;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const NO_TEMPERATURES: readonly number[] = Object.freeze([]);
const NOTHING_UNREAD: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The exact difficulty where the release sends one next to its rounded string (v2.6's
 * bestNonceDiff beside bestDiff "4.29G"), else the rounded one read as a number.
 */
function exactOrRounded(r: FieldReader, exactKey: string, roundedKey: string): number | null {
  const exact = r.number(exactKey);
  const rounded = r.difficulty(roundedKey);
  return exact !== null && exact >= 0 ? exact : rounded;
}

/**
 * Fan speed and tachometer. Up to v2.1 `fanSpeed` is the tachometer's RPM and `fanspeed` the
 * stored manual setting, which the fan follows only with auto fan off (http_server.c of those
 * releases); later `fanrpm` is the RPM and `fanspeed` the duty the fan runs at. Single-fan
 * boards report fan2rpm as 0: no second fan, not a stopped one.
 */
function readFan(r: FieldReader): { rpm: number[]; percent: number | null } {
  const fanrpm = r.number('fanrpm');
  const fan2 = r.number('fan2rpm');
  const setting = r.number('fanspeed');
  if (fanrpm === null && r.has('fanSpeed')) {
    const tachometer = r.number('fanSpeed');
    const manual = r.number('autofanspeed') === 0;
    return { rpm: tachometer === null ? [] : [tachometer], percent: manual ? setting : null };
  }
  r.consume('fanSpeed');
  const rpm = [fanrpm, fan2 === 0 ? null : fan2].filter((value): value is number => value !== null);
  return { rpm, percent: setting };
}

function nonEmpty(text: string | null): string | null {
  return text === null || text.trim() === '' ? null : text;
}

function readMac(r: FieldReader): string | null {
  const text = r.string('macAddr');
  // Owners' blanked replies and unconfigured boards send "": no MAC, not a wrong one.
  if (text === null || text.trim() === '') return null;
  const mac = normalizeMac(text);
  if (mac === null) r.warn('macAddr', `not a MAC address: ${JSON.stringify(text)}`);
  return mac;
}

function readRejectReasons(r: FieldReader): RejectReason[] {
  const items = r.array('sharesRejectedReasons');
  if (items === null) return [];
  const out: RejectReason[] = [];
  for (const item of items) {
    if (isRecord(item) && typeof item.message === 'string' && typeof item.count === 'number') {
      out.push({ reason: item.message, count: item.count });
    } else {
      r.warn('sharesRejectedReasons', 'an item is not {message, count}');
    }
  }
  return out;
}

/** `stratum+tcp://host:port`, as cgminer reports pools, from AxeOS's separate URL and port. */
function readPool(
  r: FieldReader,
  prefix: 'stratum' | 'fallbackStratum',
): { url: string | null; user: string | null } {
  const host = r.string(`${prefix}URL`);
  const port = r.number(`${prefix}Port`);
  // A 0/1 number on AxeOS, a boolean on NerdQAxe.
  const tls = r.boolean(`${prefix}TLS`);
  const user = nonEmpty(r.string(`${prefix}User`));
  if (prefix === 'fallbackStratum') r.consume('stratumURL', 'stratumPort', 'stratumUser', 'stratumTLS');
  if (host === null || host === '') return { url: null, user };
  if (host.includes('://')) return { url: host, user };
  const scheme = tls === true ? 'stratum+ssl' : 'stratum+tcp';
  return { url: port === null ? `${scheme}://${host}` : `${scheme}://${host}:${port}`, user };
}
