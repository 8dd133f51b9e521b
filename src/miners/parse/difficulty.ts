/**
 * Share difficulty as AxeOS and cgminer write it: numbers (AxeOS v2.11+), or strings with an SI
 * suffix: "%.3g%s" in v2.0-2.7 ("2.56G"), "%.2f%s" in v2.9, "%.2f %s" in v2.10 ("2.56 G").
 */
const SUFFIX: Readonly<Record<string, number>> = {
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  g: 1e9,
  T: 1e12,
  t: 1e12,
  P: 1e15,
  E: 1e18,
};

const DIFFICULTY = /^([+]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([kKMGgTtPE])?$/;

/**
 * The difficulty as a number, or `undefined` when the value is not a readable difficulty
 * (negative, NaN, an unknown suffix, not a number or string).
 */
export function parseDifficulty(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = DIFFICULTY.exec(value.trim());
  if (match === null) return undefined;
  const base = Number(match[1]);
  const multiplier = match[2] === undefined ? 1 : (SUFFIX[match[2]] ?? Number.NaN);
  const result = base * multiplier;
  return Number.isFinite(result) ? result : undefined;
}
