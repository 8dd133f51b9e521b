/**
 * What the fleet's electricity costs at a stated price: per day, per 30-day month, and for one
 * expected block at today's odds (the fleet's power for the expected time to a block).
 */
import type { FleetSummary } from './types.js';

export interface EnergyCost {
  readonly pricePerKwh: number;
  readonly currency: string;
  /** Power of the miners that report it, W. */
  readonly powerW: number;
  readonly costPerDay: number;
  readonly costPerMonth: number;
  /** Null without solo odds (no network difficulty or no hashrate). */
  readonly costPerExpectedBlock: number | null;
}

/** The currency shown when the config names none. */
export const DEFAULT_CURRENCY = 'USD';
const HOURS_PER_DAY = 24;
const DAYS_PER_MONTH = 30;

/** Cost of drawing `powerW` for `hours`, at `pricePerKwh`. */
export function costOf(powerW: number, hours: number, pricePerKwh: number): number {
  return (powerW / 1000) * hours * pricePerKwh;
}

export function energyCost(
  fleet: Pick<FleetSummary, 'powerW' | 'soloOdds'>,
  price: { readonly pricePerKwh: number; readonly currency?: string },
): EnergyCost {
  const perDay = costOf(fleet.powerW, HOURS_PER_DAY, price.pricePerKwh);
  const seconds = fleet.soloOdds?.expectedSecondsToBlock;
  return {
    pricePerKwh: price.pricePerKwh,
    currency: price.currency ?? DEFAULT_CURRENCY,
    powerW: fleet.powerW,
    costPerDay: perDay,
    costPerMonth: perDay * DAYS_PER_MONTH,
    costPerExpectedBlock:
      seconds === undefined || !Number.isFinite(seconds)
        ? null
        : costOf(fleet.powerW, seconds / 3600, price.pricePerKwh),
  };
}
