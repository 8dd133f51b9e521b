/**
 * NerdQAxe / NerdOctaxe (ESP-Miner-NerdQAxePlus): AxeOS's keys with a few renamed, `temp` as the
 * hottest chip with every chip in `asicTemps[]`, and a plain-text restart reply.
 */

import type { MinerSample } from '../MinerSample.js';
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
    const chips = r.numbers('asicTemps');
    const temperature = r.number('temp');
    const fans = [r.number('fanrpm'), r.number('fanrpm2')].filter((rpm): rpm is number => rpm !== null);
    const currentA = r.number('currentA');
    const blocks = r.number('totalFoundBlocks', 'foundBlocks');
    const reset = r.string('lastResetReason', 'resetReason');
    const own: { -readonly [K in keyof SampleOverrides]: SampleOverrides[K] } = {
      chipTemperaturesC: chips,
      // temp is already the maximum chip temperature on this firmware.
      maxChipTemperatureC: chips.length > 0 ? maxOf(chips) : temperature,
      temperatureC: temperature ?? (chips.length > 0 ? maxOf(chips) : null),
      fanRpm: fans,
      resetReason: reset,
    };
    // Assigned, not spread in: `...(x ? {} : { x })` gives each object a hidden class of its own.
    if (currentA !== null) own.currentA = currentA;
    if (blocks !== null) own.blocksFound = blocks;
    return own;
  },
};

export function createNerdQaxeDriver(context: DriverContext): EspMinerDriver {
  return new EspMinerDriver(NERDQAXE_SPEC, context);
}

/** One NerdQAxe /api/system/info object, read as the driver reads it. */
export function parseNerdQaxeInfo(info: Record<string, unknown>, timestamp: number): MinerSample {
  return readEspMinerSample(info, 'nerdqaxe', timestamp, NERDQAXE_SPEC.extra);
}
