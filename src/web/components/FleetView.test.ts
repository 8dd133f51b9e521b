import { describe, expect, it } from 'vitest';
import { minerView, sample } from '../../../test/server/fakes.js';
import type { ListedMiner } from '../types.js';
import { heat, heatColour, totalsBy } from './FleetView.js';

const miner = (id: string, overrides: Partial<ListedMiner> = {}): ListedMiner =>
  ({ ...minerView(id), ...overrides }) as ListedMiner;

describe('the fleet view', () => {
  it("judges heat against each miner's own limit, so an Avalon at 85 C is not red", () => {
    const avalon = miner('a', { lastSample: sample({ maxChipTemperatureC: 85, chipTempLimitC: 95 }) });
    const bitaxe = miner('b', { lastSample: sample({ maxChipTemperatureC: 72, chipTempLimitC: null }) });
    expect(heatColour(heat(avalon))).toBe(heatColour(0.8));
    expect(heatColour(heat(bitaxe))).toBe(heatColour(1));
    expect(heat(miner('c', { status: 'offline' }))).toBeNull();
  });

  it('sums hashrate, expected and power by group, biggest first, a miner in each of its tags', () => {
    const miners = [
      miner('a', {
        kind: 'axeos',
        lastSample: sample({ hashrateGhs: 1000, expectedHashrateGhs: 1100, powerW: 15 }),
      }),
      miner('b', {
        kind: 'cgminer',
        lastSample: sample({ hashrateGhs: 6000, expectedHashrateGhs: 6500, powerW: 140 }),
      }),
      miner('c', { kind: 'axeos', lastSample: null }),
    ];
    expect(totalsBy(miners, (m) => [m.kind])).toEqual([
      { group: 'cgminer', miners: 1, hashrateGhs: 6000, expectedHashrateGhs: 6500, powerW: 140 },
      { group: 'axeos', miners: 2, hashrateGhs: 1000, expectedHashrateGhs: 1100, powerW: 15 },
    ]);
    expect(totalsBy([miner('t', { tags: ['x', 'y'] })], (m) => m.tags ?? []).map((t) => t.group)).toEqual([
      'x',
      'y',
    ]);
  });
});
