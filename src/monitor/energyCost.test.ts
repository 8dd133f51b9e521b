import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costOf, energyCost } from './energyCost.js';

const odds = (expectedSecondsToBlock: number) => ({
  hashrateGhs: 1000,
  networkDifficulty: 1e14,
  difficultySource: 'config' as const,
  difficultyUpdatedAt: 0,
  expectedSecondsToBlock,
  probabilityDay: 0,
  probabilityMonth: 0,
  probabilityYear: 0,
});

describe('energyCost', () => {
  it('prices a day, a month and one expected block of the fleet power', () => {
    // 1 kW for a day at 0.25 a kWh is 6; a block expected in 10 days costs 60.
    const cost = energyCost(
      { powerW: 1000, soloOdds: odds(10 * 86_400) },
      { pricePerKwh: 0.25, currency: 'EUR' },
    );
    expect(cost).toEqual({
      pricePerKwh: 0.25,
      currency: 'EUR',
      powerW: 1000,
      costPerDay: 6,
      costPerMonth: 180,
      costPerExpectedBlock: 60,
    });
  });

  it('has no block cost without solo odds', () => {
    expect(
      energyCost({ powerW: 15, soloOdds: null }, { pricePerKwh: 0.3, currency: 'USD' }).costPerExpectedBlock,
    ).toBeNull();
  });

  it('grows linearly with power, time and price', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (w, h, p) => {
          expect(costOf(2 * w, h, p)).toBeCloseTo(2 * costOf(w, h, p), 6);
          expect(costOf(w, h, p)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
