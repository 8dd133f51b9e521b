/**
 * Is a memory series rising? A least-squares line through (time, value) points and the 95 %
 * confidence interval of its slope, so a soak judges memory by its trend over the whole run
 * instead of by two end points that a single GC or cache fill can move.
 *
 * The interval assumes independent residuals; memory read after a gc() every few seconds is
 * close to that, but a slow wave (a cache filling, a timer-driven batch) makes the interval
 * narrower than it should be, which is why the soak's bounds sit well above the noise.
 */

export interface Trend {
  /** Points fitted. */
  readonly n: number;
  /** Units per hour (the soak feeds bytes and ms, so bytes per hour). */
  readonly slopePerHour: number;
  /** 95 % confidence interval of the slope, same unit. */
  readonly low: number;
  readonly high: number;
}

/** Two-sided 95 % quantile of Student's t for `df` degrees of freedom (1.96 from 120 on). */
export function tQuantile95(df: number): number {
  const table: readonly [number, number][] = [
    [1, 12.706],
    [2, 4.303],
    [3, 3.182],
    [4, 2.776],
    [5, 2.571],
    [6, 2.447],
    [7, 2.365],
    [8, 2.306],
    [9, 2.262],
    [10, 2.228],
    [12, 2.179],
    [15, 2.131],
    [20, 2.086],
    [25, 2.06],
    [30, 2.042],
    [40, 2.021],
    [60, 2.0],
    [120, 1.98],
  ];
  if (df >= 120 * 4) return 1.96;
  // The largest tabulated df not above `df`: a slightly wider interval, never a narrower one.
  let value = table[0]?.[1] ?? Number.POSITIVE_INFINITY;
  for (const [d, t] of table) if (d <= df) value = t;
  return value;
}

const HOUR_MS = 3_600_000;

/** Fits value = a + b * t by least squares; `t` in ms. NaN figures when fewer than 3 points. */
export function fitTrend(points: readonly { readonly t: number; readonly value: number }[]): Trend {
  const n = points.length;
  if (n < 3) return { n, slopePerHour: Number.NaN, low: Number.NaN, high: Number.NaN };
  let meanT = 0;
  let meanV = 0;
  for (const p of points) {
    meanT += p.t / n;
    meanV += p.value / n;
  }
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.t - meanT) ** 2;
    sxy += (p.t - meanT) * (p.value - meanV);
  }
  if (sxx === 0) return { n, slopePerHour: Number.NaN, low: Number.NaN, high: Number.NaN };
  const slope = sxy / sxx;
  let residuals = 0;
  for (const p of points) residuals += (p.value - meanV - slope * (p.t - meanT)) ** 2;
  const standardError = Math.sqrt(residuals / (n - 2) / sxx);
  const margin = tQuantile95(n - 2) * standardError;
  return {
    n,
    slopePerHour: slope * HOUR_MS,
    low: (slope - margin) * HOUR_MS,
    high: (slope + margin) * HOUR_MS,
  };
}

/** `+0.42 MB/h (95 % CI -0.10 .. +0.94, 120 points)` for a trend of bytes. */
export function describeTrend(trend: Trend): string {
  const mb = (v: number) => `${v >= 0 ? '+' : ''}${(v / 1e6).toFixed(2)}`;
  if (!Number.isFinite(trend.slopePerHour)) return `n/a (${trend.n} points)`;
  return `${mb(trend.slopePerHour)} MB/h (95 % CI ${mb(trend.low)} .. ${mb(trend.high)}, ${trend.n} points)`;
}
