import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lnGamma, poissonCdf, probabilityOfBest } from './poisson.js';

/** P(K <= k) summed term by term: the definition, for small k. */
function directCdf(k: number, lambda: number): number {
  let term = Math.exp(-lambda);
  let sum = term;
  for (let i = 1; i <= k; i += 1) {
    term *= lambda / i;
    sum += term;
  }
  return sum;
}

describe('poisson maths', () => {
  it('lnGamma matches factorials', () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n += 1) {
      factorial *= n;
      expect(lnGamma(n + 1)).toBeCloseTo(Math.log(factorial), 9);
    }
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('poissonCdf agrees with the direct sum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 150 }),
        fc.double({ min: 1e-3, max: 200, noNaN: true }),
        (k, lambda) => {
          const expected = directCdf(k, lambda);
          const got = poissonCdf(k, lambda);
          expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-9 + 1e-7 * expected);
        },
      ),
    );
  });

  it('is a probability, grows with k and falls with lambda', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        (k, lambda, more) => {
          const p = poissonCdf(k, lambda);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
          expect(poissonCdf(k + 1, lambda)).toBeGreaterThanOrEqual(p - 1e-12);
          expect(poissonCdf(k, lambda + more)).toBeLessThanOrEqual(p + 1e-12);
        },
      ),
    );
  });

  it('P(K = 0) is exp(-lambda); a large window is judged without summing', () => {
    expect(poissonCdf(0, 13.8155)).toBeCloseTo(1e-6, 9);
    // A million expected, 995,000 seen: five standard deviations short.
    const p = poissonCdf(995_000, 1_000_000);
    expect(p).toBeGreaterThan(1e-8);
    expect(p).toBeLessThan(1e-6);
    expect(poissonCdf(-1, 3)).toBe(0);
    expect(poissonCdf(5, 0)).toBe(1);
    expect(() => poissonCdf(1, Number.NaN)).toThrow(/lambda/);
  });

  it('P(best >= D) = 1 - exp(-W/D): bounded, rising with work, falling with difficulty', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e15, noNaN: true }),
        fc.double({ min: 1, max: 1e15, noNaN: true }),
        (work, difficulty) => {
          const p = probabilityOfBest(work, difficulty);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
          expect(probabilityOfBest(work * 2, difficulty)).toBeGreaterThanOrEqual(p);
          expect(probabilityOfBest(work, difficulty * 2)).toBeLessThanOrEqual(p);
          // For W << D it is W / D.
          if (work / difficulty < 1e-6) expect(p).toBeCloseTo(work / difficulty, 12);
        },
      ),
    );
  });
});
