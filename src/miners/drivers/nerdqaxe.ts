/**
 * NerdQAxe / NerdOctaxe (ESP-Miner-NerdQAxePlus): AxeOS's keys with a few renamed, `temp` as the
 * hottest chip with every chip in `asicTemps[]`, and a plain-text restart reply.
 */

import type { MinerSample } from '../MinerSample.js';
import { type FieldReader, isRecord } from '../parse/FieldReader.js';
import { maxOf } from '../parse/units.js';
import type { DriverContext } from './DriverContext.js';
import { EspMinerDriver, type EspMinerSpec } from './EspMinerDriver.js';
import { nerdQaxeMarkers } from './espMinerForks.js';
import { readEspMinerSample, type SampleOverrides } from './espMinerSample.js';

export const NERDQAXE_SPEC: EspMinerSpec = {
  kind: 'nerdqaxe',
  // A fork outranks its parent: its own keys make it a surer match than AxeOS's plain one.
  score: (info) => (nerdQaxeMarkers(info) > 0 ? 2 : 0),
  extra: (r) => {
    // 0 is a chip the firmware does not read (NerdQAxe++ on v1.1.0 sends [0, 0, 0, 0]).
    const chips = r.numbers('asicTemps').filter((t) => t > 0);
    const temperature = r.number('temp');
    const fans = [r.number('fanrpm'), r.number('fanrpm2')].filter((rpm): rpm is number => rpm !== null);
    const currentA = r.number('currentA');
    const blocks = r.number('totalFoundBlocks', 'foundBlocks');
    const reset = r.string('lastResetReason', 'resetReason');
    const limits = readOverheatLimits(r);
    const own: { -readonly [K in keyof SampleOverrides]: SampleOverrides[K] } = {
      chipTemperaturesC: chips,
      // temp is already the maximum chip temperature on this firmware.
      maxChipTemperatureC: chips.length > 0 ? maxOf(chips) : temperature,
      temperatureC: temperature ?? (chips.length > 0 ? maxOf(chips) : null),
      fanRpm: fans,
      resetReason: reset,
      chipTempLimitC: limits.chipC,
      vrTempLimitC: limits.vrC,
    };
    // Assigned, not spread in: `...(x ? {} : { x })` gives each object a hidden class of its own.
    if (currentA !== null) own.currentA = currentA;
    if (blocks !== null) own.blocksFound = blocks;
    return own;
  },
};

/**
 * The overheat settings this firmware shuts the ASICs down at. `overheat_temp` guards the hottest
 * chip (0 meant "disabled" before v1.0.36, which migrates it to 70); releases before per-channel
 * fans apply it to the VR as well, except NerdAxeGamma whose board sets its own VR maximum
 * (power_management_task.cpp, nerdaxegamma.cpp); releases with `fans[]` guard the VR with the
 * second channel's `overheatTemp` (fan_controller.cpp: ch0 = chip, ch1 = VR).
 */
function readOverheatLimits(r: FieldReader): { chipC: number | null; vrC: number | null } {
  const chipC = plausibleLimit(r, 'overheat_temp', r.number('overheat_temp'));
  const fans = r.array('fans');
  const vrChannel = fans?.[1];
  if (isRecord(vrChannel) && vrChannel.overheatTemp !== undefined) {
    const value = typeof vrChannel.overheatTemp === 'number' ? vrChannel.overheatTemp : Number.NaN;
    return { chipC, vrC: plausibleLimit(r, 'fans[1].overheatTemp', value) };
  }
  const ownVrMaximum = /^NerdAxeGamma$/i.test(String(r.value('deviceModel')));
  return { chipC, vrC: ownVrMaximum ? null : chipC };
}

/**
 * A stated limit judged by: 0 means "disabled" (older releases), and a value no firmware allows
 * (its settings page takes 50-90 °C) is reported rather than trusted: a limit of 1 °C would call
 * every poll an overheat.
 */
function plausibleLimit(r: FieldReader, key: string, value: number | null): number | null {
  if (value === null || value === 0) return null;
  if (Number.isFinite(value) && value >= MIN_PLAUSIBLE_LIMIT_C && value <= MAX_PLAUSIBLE_LIMIT_C)
    return value;
  r.warn(key, `not a plausible overheat limit: ${value} °C; the model's default is used`);
  return null;
}

const MIN_PLAUSIBLE_LIMIT_C = 30;
const MAX_PLAUSIBLE_LIMIT_C = 150;

export function createNerdQaxeDriver(context: DriverContext): EspMinerDriver {
  return new EspMinerDriver(NERDQAXE_SPEC, context);
}

/** One NerdQAxe /api/system/info object, read as the driver reads it. */
export function parseNerdQaxeInfo(info: Record<string, unknown>, timestamp: number): MinerSample {
  return readEspMinerSample(info, 'nerdqaxe', timestamp, NERDQAXE_SPEC.extra);
}
