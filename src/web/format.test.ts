import { describe, expect, it } from 'vitest';
import {
  CELSIUS_LADDER,
  DASH,
  formatAgo,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  formatIn,
  formatOneIn,
  formatPercent,
  formatSi,
  formatTicks,
  formatWatts,
  HASH_UNITS_LADDER,
  rejectFraction,
  WATT_LADDER,
} from './format.js';

describe('formatSi / formatDifficulty', () => {
  it('uses k/M/G/T with three significant digits', () => {
    expect(formatSi(950)).toBe('950');
    expect(formatSi(1234)).toBe('1.23k');
    expect(formatDifficulty(4_294_967_296)).toBe('4.29G');
    expect(formatDifficulty(126_410_000_000_000)).toBe('126T');
    expect(formatDifficulty(15_300_000)).toBe('15.3M');
  });
  it('rolls over at the unit boundary instead of showing 1000k', () => {
    expect(formatSi(999_999)).toBe('1.00M');
  });
  it('shows a dash for unknown values, never 0', () => {
    expect(formatDifficulty(null)).toBe(DASH);
    expect(formatSi(Number.NaN)).toBe(DASH);
  });
});

describe('formatHashrate', () => {
  it('picks the largest unit that keeps a value of at least 1', () => {
    expect(formatHashrate(512.3)).toBe('512 GH/s');
    expect(formatHashrate(1234)).toBe('1.23 TH/s');
    expect(formatHashrate(6_100_000)).toBe('6.10 PH/s');
    expect(formatHashrate(null)).toBe(DASH);
  });
});

describe('formatWatts', () => {
  it('switches to kW past 1000 W', () => {
    expect(formatWatts(14.56)).toBe('14.6 W');
    expect(formatWatts(3250)).toBe('3.25 kW');
  });
});

describe('formatPercent / formatOneIn', () => {
  it('keeps tiny solo odds visible', () => {
    expect(formatPercent(0.000_012_34)).toBe('0.0012%');
    expect(formatPercent(0.25)).toBe('25.0%');
    expect(formatPercent(0)).toBe('0%');
  });
  it('states long odds as 1 in N', () => {
    expect(formatOneIn(0.001)).toBe('1 in 1,000');
    expect(formatOneIn(0)).toBe(DASH);
    expect(formatOneIn(0.75)).toBe('75.0%');
  });
});

describe('rejectFraction', () => {
  it('is null without shares and the reject share otherwise', () => {
    expect(rejectFraction(0, 0)).toBeNull();
    expect(rejectFraction(null, 3)).toBeNull();
    expect(rejectFraction(99, 1)).toBeCloseTo(0.01);
  });
});

describe('durations', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(59)).toBe('59s');
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 12)).toBe('3d 4h');
    expect(formatDuration(5 * 60)).toBe('5m');
    expect(formatDuration(2 * 365 * 86_400 + 3 * 86_400)).toBe('2y 3d');
    expect(formatDuration(412 * 365 * 86_400)).toBe('412 years');
    expect(formatDuration(5083 * 365 * 86_400)).toBe('5,083 years');
    expect(formatDuration(2.5e7 * 365 * 86_400)).toBe('25.0M years');
  });
  it('reads relative times against the given now', () => {
    expect(formatAgo(10_000, 12_000)).toBe('just now');
    expect(formatAgo(0, 125_000)).toBe('2m 5s ago');
    expect(formatIn(10_000, 12_000)).toBe('now');
    expect(formatIn(42_000, 0)).toBe('in 42s');
  });
});

describe('formatTicks', () => {
  it('keeps neighbouring ticks distinct in one unit', () => {
    expect(formatTicks([12_550, 12_600, 12_650], HASH_UNITS_LADDER)).toEqual([
      '12.55 TH/s',
      '12.60 TH/s',
      '12.65 TH/s',
    ]);
    expect(formatTicks([0, 200, 400, 600], HASH_UNITS_LADDER)).toEqual([
      '0 GH/s',
      '200 GH/s',
      '400 GH/s',
      '600 GH/s',
    ]);
    expect(formatTicks([50, 52.5, 55], CELSIUS_LADDER)).toEqual(['50.0 °C', '52.5 °C', '55.0 °C']);
  });
  it('takes the unit from the largest tick', () => {
    expect(formatTicks([0, 500, 1000, 1500], WATT_LADDER)).toEqual(['0.0 kW', '0.5 kW', '1.0 kW', '1.5 kW']);
  });
  it('copes with a single tick', () => {
    expect(formatTicks([20], WATT_LADDER)).toEqual(['20 W']);
  });
});
