/**
 * The Poisson tail the proof-of-work check needs: P(K <= k) for K ~ Poisson(lambda), computed as
 * the regularized upper incomplete gamma Q(k + 1, lambda) so that a fast miner's window of a
 * million expected shares costs as little as a Bitaxe's twenty. Pure maths, no dependencies.
 */

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0 (Lanczos, g = 7; relative error below 1e-13). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = 0.99999999999980993;
  for (let i = 0; i < LANCZOS.length; i += 1) sum += (LANCZOS[i] as number) / (z + i + 1);
  const t = z + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPSILON = 1e-15;
const MAX_ITERATIONS = 10_000;

/** P(a, x) by its series; converges fast for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n += 1) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

/** Q(a, x) by its continued fraction (modified Lentz); converges fast for x >= a + 1. */
function upperFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

/** Regularized upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a), for a > 0, x >= 0. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}

/**
 * P(K <= k) for K ~ Poisson(lambda): the chance of seeing `k` or fewer events where `lambda` were
 * expected. 1 when lambda is 0; k is floored (a count).
 */
export function poissonCdf(k: number, lambda: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new RangeError(`Expected lambda to be a finite number >= 0, got ${String(lambda)}`);
  }
  if (k < 0) return 0;
  if (lambda === 0) return 1;
  const count = Math.floor(k);
  // Q(k+1, lambda); for k = 0 that is exp(-lambda) exactly.
  return count === 0 ? Math.exp(-lambda) : Math.min(1, Math.max(0, gammaQ(count + 1, lambda)));
}

/**
 * P(best >= difficulty) after `work` difficulty-1 units of hashing: each hash beats difficulty D
 * with probability 1 / (D 2^32), so the best share reaches D with 1 - exp(-W / D).
 */
export function probabilityOfBest(work: number, difficulty: number): number {
  if (!(difficulty > 0) || !(work >= 0)) return 1;
  return -Math.expm1(-work / difficulty);
}
