import { describe, expect, it } from 'vitest';
import { type FleetMember, fleetSummary } from './fleetSummary.js';
import { makeSample } from './testing/FakeDriver.js';

const member = (
  id: string,
  sample: Parameters<typeof makeSample>[0],
  status: FleetMember['status'] = 'online',
): FleetMember => ({
  id,
  status,
  enabled: true,
  lastSample: makeSample(sample),
  bestDifficulty: null,
});

describe('fleet totals', () => {
  it('J/TH divides the power of the miners that report it by their own hashrate only', () => {
    // Two Avalons at 190 J/TH-class draw reported, and a large miner that reports no power.
    const summary = fleetSummary(
      [
        member('a', { hashrateGhs: 700, powerW: 133 }),
        member('b', { hashrateGhs: 700, powerW: 133 }),
        member('c', { hashrateGhs: 18_600, powerW: null }),
      ],
      null,
    );
    expect(summary.efficiencyJth).toBeCloseTo(190, 6);
    expect(summary.powerW).toBe(266);
    expect(summary.hashrateGhs).toBe(20_000);
  });

  it('has no efficiency when no answering miner reports power', () => {
    const summary = fleetSummary([member('c', { hashrateGhs: 1000, powerW: null })], null);
    expect(summary.efficiencyJth).toBeNull();
  });

  it('leaves out offline miners, whose last reading would flatter the fleet', () => {
    const summary = fleetSummary(
      [
        member('a', { hashrateGhs: 1000, powerW: 20 }),
        member('b', { hashrateGhs: 1000, powerW: 5 }, 'offline'),
      ],
      null,
    );
    expect(summary.efficiencyJth).toBeCloseTo(20, 6);
    expect(summary.miners).toEqual({ total: 2, online: 1, degraded: 0, offline: 1 });
  });
});
