/**
 * Antminer hardware from the `stats` item that bmminer (stock firmware) and LuxOS fill with board
 * data. Per board N:
 * - `temp_chipN` "78-50-69-70": the chip sensors (S19 and later); `temp2_N`: the board's hottest
 *   chip (older models, and alongside on the S19).
 * - `temp_pcbN` "73-45-64-65": the PCB sensors; `tempN`: the board's hottest PCB sensor.
 * - `temp_picN`: sensors by the PIC, a board sensor again (not read: temp_pcb covers the board).
 * A board that is not there reads "0-0-0-0" or 0. Where a firmware repeats the PCB sensors in
 * `temp_chipN` (LuxOS on an S19k Pro: both "47-34-34-47", its `temps` command labels them board
 * intake and exhaust), they are board temperatures and no chip temperature is known.
 * Fans are fan1..fan<fan_num>; the expected hashrate is `total_rateideal` in `rate_unit`.
 */
import { FieldReader } from '../parse/FieldReader.js';
import { type HardwareReading, maxOrNull, mean, sensor } from './hardwareReading.js';

/** Board numbers that appear in any per-board key. */
function boardNumbers(item: Record<string, unknown>): number[] {
  const numbers = new Set<number>();
  for (const key of Object.keys(item)) {
    const match = /^(?:temp_chip|temp_pcb|temp2_|temp|chain_rate)(\d+)$/.exec(key);
    if (match !== null) numbers.add(Number(match[1]));
  }
  return [...numbers].sort((a, b) => a - b);
}

/** "78-50-69-70" or 78 as numbers, sensors that read 0 left out. */
function sensors(value: unknown): number[] {
  if (typeof value === 'number') return sensor(value) ? [value] : [];
  if (typeof value !== 'string') return [];
  return value
    .split('-')
    .map((part) => Number(part.trim()))
    .filter(sensor);
}

const UNIT_TO_GHS: Readonly<Record<string, number>> = { MH: 1e-3, GH: 1, TH: 1e3 };

/** True for the `stats` item that holds board data (the other item is the version banner). */
export function isAntminerStats(item: Record<string, unknown>): boolean {
  return Object.keys(item).some((key) => /^(?:temp\d+|temp_chip\d+|fan\d+|chain_rate\d+)$/.test(key));
}

export function readAntminerStats(
  item: Record<string, unknown>,
  model: string | null,
  warnings: string[],
): HardwareReading {
  const chips: number[] = [];
  const boards: number[] = [];
  for (const n of boardNumbers(item)) {
    const chipText = item[`temp_chip${n}`];
    const pcbText = item[`temp_pcb${n}`];
    const pcb = pcbText === undefined ? sensors(item[`temp${n}`]) : sensors(pcbText);
    boards.push(...pcb);
    if (chipText !== undefined && chipText !== pcbText) chips.push(...sensors(chipText));
    else if (chipText === undefined) chips.push(...sensors(item[`temp2_${n}`]));
  }
  const r = new FieldReader(item, 'STATS.', warnings);
  const fanCount = r.number('fan_num');
  const fanKeys = Object.keys(item).filter((key) => /^fan\d+$/.test(key));
  const fans = (
    fanCount !== null && fanCount > 0
      ? Array.from({ length: fanCount }, (_, i) => item[`fan${i + 1}`])
      : fanKeys.map((key) => item[key]).filter((rpm) => typeof rpm === 'number' && rpm > 0)
  ).filter((rpm): rpm is number => typeof rpm === 'number' && Number.isFinite(rpm) && rpm >= 0);
  const ideal = r.number('total_rateideal');
  const unit = r.string('rate_unit') ?? 'GH';
  const scale = UNIT_TO_GHS[unit.toUpperCase()];
  return {
    temperatureC: mean(chips),
    maxChipTemperatureC: maxOrNull(chips),
    chipTemperaturesC: chips,
    boardTemperaturesC: boards,
    chipTempLimitC: null,
    fanRpm: fans,
    fanPercent: null,
    powerW: null,
    expectedHashrateGhs: ideal !== null && ideal > 0 && scale !== undefined ? ideal * scale : null,
    hashrateGhs: null,
    deviceModel: model,
  };
}
