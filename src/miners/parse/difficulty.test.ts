import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDifficulty } from './difficulty.js';

describe('parseDifficulty', () => {
  it.each([
    ['2.56G', 2.56e9],
    ['2.56 G', 2.56e9],
    ['2.56g', 2.56e9],
    ['512', 512],
    ['0', 0],
    ['12.3M', 12.3e6],
    ['197k', 197e3],
    ['197K', 197e3],
    ['4.10T', 4.1e12],
    ['1.5P', 1.5e15],
    ['1.05E', 1.05e18],
    [' 7.00 k ', 7000],
    ['1e3', 1000],
    [2_560_000_000, 2.56e9],
    [0, 0],
  ])('reads %j as %d', (input, expected) => {
    expect(parseDifficulty(input)).toBeCloseTo(expected, 0);
  });

  it.each([
    ['abc'],
    ['-5'],
    ['2.56X'],
    ['2.56 GG'],
    [''],
    [Number.NaN],
    [-1],
    [Number.POSITIVE_INFINITY],
    [null],
    [{}],
    [[1]],
  ])('refuses %j', (input) => {
    expect(parseDifficulty(input)).toBeUndefined();
  });

  it('reads back what every AxeOS format prints, within the printed precision', () => {
    const suffixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
    fc.assert(
      fc.property(
        fc.double({ min: 1000, max: 9e20, noNaN: true }),
        fc.constantFrom('%.3g%s', '%.2f%s', '%.2f %s'),
        (value, format) => {
          let v = value;
          let i = 0;
          while (v >= 1000 && i < suffixes.length - 1) {
            v /= 1000;
            i += 1;
          }
          const number = format === '%.3g%s' ? String(Number(v.toPrecision(3))) : v.toFixed(2);
          const text = `${number}${format === '%.2f %s' ? ' ' : ''}${suffixes[i]}`;
          const parsed = parseDifficulty(text);
          expect(parsed).toBeDefined();
          expect(Math.abs((parsed as number) - value) / value).toBeLessThan(0.01);
        },
      ),
    );
  });
});
