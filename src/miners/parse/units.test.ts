import { describe, expect, it } from 'vitest';
import { milliampsToAmps, millivoltsToVolts, normalizeMac, parseBoolean } from './units.js';

describe('units', () => {
  it('reads 0/1 and real booleans, and nothing else', () => {
    expect(parseBoolean(1)).toBe(true);
    expect(parseBoolean(0)).toBe(false);
    expect(parseBoolean(true)).toBe(true);
    expect(parseBoolean('1')).toBe(true);
    expect(parseBoolean('N')).toBe(false);
    expect(parseBoolean(2)).toBeUndefined();
    expect(parseBoolean('yes please')).toBeUndefined();
    expect(parseBoolean(null)).toBeUndefined();
  });

  it('converts mV and mA', () => {
    expect(millivoltsToVolts(5012)).toBeCloseTo(5.012, 9);
    expect(milliampsToAmps(3470)).toBeCloseTo(3.47, 9);
  });

  it.each([
    ['24:58:7c:a1:b2:c3', '24:58:7C:A1:B2:C3'],
    ['24-58-7C-A1-B2-C3', '24:58:7C:A1:B2:C3'],
    ['24587ca1b2c3', '24:58:7C:A1:B2:C3'],
    ['2458.7ca1.b2c3', '24:58:7C:A1:B2:C3'],
  ])('normalizes %s', (input, expected) => {
    expect(normalizeMac(input)).toBe(expected);
  });

  it.each([['24:58:7c:a1:b2'], ['zz:58:7c:a1:b2:c3'], [''], [42], [null]])('refuses %j', (input) => {
    expect(normalizeMac(input)).toBeNull();
  });
});
