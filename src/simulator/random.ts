/** A source of uniform numbers in [0, 1), as `Math.random` is. */
export type Random = () => number;

/**
 * Mulberry32: small, fast and good enough for simulation; the seed makes every run repeatable.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform draw in (0, 1): logarithms of it stay finite. */
export function openUnit(random: Random): number {
  let u = random();
  while (u <= 0) u = random();
  return u;
}

/** Standard normal by Box-Muller. */
export function gaussian(random: Random): number {
  const u = openUnit(random);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A Poisson count with the given mean: exact by multiplication for small means, normal
 * approximation for large ones (a busy device over a long gap would otherwise loop for ages).
 */
export function poisson(random: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

/**
 * The largest of `shares` share difficulties, each drawn with P(D > d) = poolDiff / d for
 * d >= poolDiff. The maximum of n such draws has P(max <= d) = (1 - poolDiff / d)^n, so one
 * uniform u gives it as poolDiff / (1 - u^(1/n)); expm1 keeps that exact for large n.
 */
export function bestOfShares(random: Random, poolDiff: number, shares: number): number {
  if (shares <= 0) return 0;
  const u = openUnit(random);
  const tail = -Math.expm1(Math.log(u) / shares);
  return poolDiff / tail;
}

/** A 32-bit hash of a string, to derive per-device seeds from names. */
export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}
