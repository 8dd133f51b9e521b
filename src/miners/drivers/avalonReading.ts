/**
 * Avalon hardware from the estats/stats "MM ID<n>" strings (also the newer "MM ID0:Summary" key of
 * the Avalon Q, whose value wraps the same tokens in `'STATS':{...}`). One string per module.
 *
 * Temperatures: TAvg/TMax (and per board MTavg/MTmax) are chips; Temp, ITemp, OTemp, HBITemp and
 * HBOTemp are inlet, outlet and board sensors; TarT is the chip temperature the firmware steers
 * the chips to. -273 and 0 mean "no sensor" / "not hashing".
 *
 * Power: PS[] is the power supply's report and its layout differs by generation:
 * - Nano 3 (nano3-2407...): PS[0 0 0 3 2792 89 324]: [4] output volts x100, [5] watts, [6] output
 *   amps x100 (27.92 V x 3.24 A = 90 W, the 90 W of its MPO[90] setting).
 * - A-series (1246-...): PS[0 1214 1316 242 3189 1320 3504]: [2] volts x100, [3] amps, [4] watts
 *   out (13.16 V x 242 A = 3185 W); [6] is the power target, not a measurement.
 * - Nano 3s, Q and later (Canaan's 2025 driver-avalon.c, periph_info): [2] vout, [3] iout,
 *   [5] voutcmd (the commanded voltage, 3756 on a Nano 3s: never watts), [6] poutwall, the
 *   measured wall power.
 * - A15 (15-194-24102401...): PS[0 1209 1187 297 3526 1188 3731] WALLPOWER[3731]: [4] is watts
 *   out (11.87 V x 297 A) and [6] the wall power, as on the Nano 3s and Q: the firmware repeats
 *   it as WALLPOWER. Its Ver starts with two digits, so it takes the later layout.
 */
import { type EstatsValue, estatsNumber, estatsNumbers } from '../cgminer/estats.js';
import { type HardwareReading, maxOrNull, mean, sensor } from './hardwareReading.js';

/**
 * Degrees past TarT (the chips' target average) at which an Avalon counts as too hot: its hottest
 * chip sits up to ~5 °C above the target when working as designed.
 */
const TARGET_HEADROOM_C = 10;

/** Which PS[] element holds measured watts, by the firmware's Ver prefix. */
function powerIndex(version: string): number {
  if (/^nano3-/i.test(version)) return 5;
  if (/^\d{3,4}-/.test(version)) return 4;
  return 6;
}

/** "Avalon Nano3s" from `Nano3s-25021401_56abae7`, "AvalonMiner 1246" from `1246-83-...`. */
function modelOf(version: string): string | null {
  const prefix = version.split('-')[0] ?? '';
  if (prefix === '') return null;
  return /^\d+$/.test(prefix) ? `AvalonMiner ${prefix}` : `Avalon ${prefix}`;
}

function text(value: EstatsValue | undefined): string {
  return typeof value === 'string' ? value : (value?.join(' ') ?? '');
}

function numbersOf(module: Record<string, EstatsValue>, key: string): number[] {
  return estatsNumbers(module[key]).filter(sensor);
}

function numberOf(module: Record<string, EstatsValue>, key: string): number | null {
  const value = estatsNumber(module[key]);
  return sensor(value) ? value : null;
}

function sum(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
}

/** The hardware reading of one Avalon: its modules' MM strings, parsed (see readEstats). */
export function readAvalon(modules: readonly Record<string, EstatsValue>[]): HardwareReading {
  const chipAverages = modules.map((m) => numberOf(m, 'TAvg')).filter((t): t is number => t !== null);
  const chipMaxima = modules.map((m) => numberOf(m, 'TMax')).filter((t): t is number => t !== null);
  const perBoardHottest = modules.flatMap((m) => numbersOf(m, 'MTmax'));
  const boards = modules.flatMap((m) =>
    ['Temp', 'ITemp', 'OTemp', 'HBITemp', 'HBOTemp']
      .map((key) => numberOf(m, key))
      .filter((t): t is number => t !== null),
  );
  const fans = modules.flatMap((m) =>
    Object.keys(m)
      .filter((key) => /^Fan\d+$/.test(key))
      .map((key) => estatsNumber(m[key]))
      .filter((rpm): rpm is number => rpm !== null && rpm >= 0),
  );
  const targets = modules.map((m) => numberOf(m, 'TarT')).filter((t): t is number => t !== null);
  const power = sum(
    modules.map((m) => {
      const watts = estatsNumbers(m.PS)[powerIndex(text(m.Ver))];
      return sensor(watts) ? watts : null;
    }),
  );
  const chips = perBoardHottest.length > 0 ? perBoardHottest : chipMaxima;
  const first = modules[0];
  return {
    temperatureC: mean(chipAverages),
    maxChipTemperatureC: maxOrNull(chipMaxima) ?? maxOrNull(chips),
    chipTemperaturesC: chips,
    boardTemperaturesC: boards,
    // Several modules steer to one setting; the lowest is the one first reached. TarT is what the
    // firmware steers the chips' average to; the hottest chip runs a few degrees above it by
    // design (Nano 3s capture: average 90, hottest 95, TarT 90), so the limit is some way past it.
    chipTempLimitC: targets.length === 0 ? null : Math.min(...targets) + TARGET_HEADROOM_C,
    fanRpm: fans,
    fanPercent: first === undefined ? null : estatsNumber(first.FanR),
    powerW: power,
    expectedHashrateGhs: sum(modules.map((m) => numberOf(m, 'GHSmm'))),
    hashrateGhs: sum(modules.map((m) => numberOf(m, 'GHSavg'))),
    deviceModel: first === undefined ? null : modelOf(text(first.Ver)),
  };
}

/**
 * Whether the Avalon is soft off (paused): `SoftOFF[<n>]` where the firmware has it, else the work state
 * of `SYSTEMSTATU`; null when it says neither.
 */
export function avalonPaused(module: Readonly<Record<string, EstatsValue>> | undefined): boolean | null {
  if (module === undefined) return null;
  const softOff = estatsNumber(module.SoftOFF);
  if (softOff !== null) return softOff !== 0;
  const status = module.SYSTEMSTATU;
  const text = Array.isArray(status) ? status.join(' ') : (status ?? '');
  if (/\bIn Idle\b/i.test(text)) return true;
  if (/\bIn Work\b/i.test(text)) return false;
  return null;
}
