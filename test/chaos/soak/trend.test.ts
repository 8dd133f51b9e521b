import { describe, expect, it } from 'vitest';
import { describeTrend, fitTrend, tQuantile95 } from './trend.js';

const HOUR = 3_600_000;

describe('fitTrend', () => {
  it('recovers the slope of an exact line, with a zero-width interval', () => {
    const points = Array.from({ length: 10 }, (_, i) => ({ t: i * 60_000, value: 5e6 + i * 1e5 }));
    const trend = fitTrend(points);
    // 0.1 MB a minute is 6 MB an hour.
    expect(trend.slopePerHour).toBeCloseTo(6e6, 0);
    expect(trend.high - trend.low).toBeLessThan(1e-3);
  });

  it('calls a flat but noisy series flat: its interval holds zero', () => {
    // Deterministic noise of +-0.5 MB around 30 MB, no trend.
    const noise = [0.3, -0.5, 0.1, 0.4, -0.2, -0.4, 0.5, 0, -0.1, 0.2, -0.3, 0.1];
    const points = Array.from({ length: 120 }, (_, i) => ({
      t: i * 5000,
      value: 30e6 + (noise[i % noise.length] as number) * 1e6,
    }));
    const trend = fitTrend(points);
    expect(trend.low).toBeLessThan(0);
    expect(trend.high).toBeGreaterThan(0);
  });

  it('tells a slow steady leak from zero through the same noise', () => {
    const noise = [0.3, -0.5, 0.1, 0.4, -0.2, -0.4, 0.5, 0, -0.1, 0.2, -0.3, 0.1];
    // 7 MB an hour, what the heap of the 25-minute soak of issue 19 rose by, over 40 minutes.
    const points = Array.from({ length: 480 }, (_, i) => ({
      t: i * 5000,
      value: 30e6 + (7e6 * (i * 5000)) / HOUR + (noise[i % noise.length] as number) * 1e6,
    }));
    const trend = fitTrend(points);
    expect(trend.low).toBeGreaterThan(5e6);
    expect(trend.high).toBeLessThan(9e6);
    expect(describeTrend(trend)).toMatch(
      /^\+7\.\d\d MB\/h \(95 % CI \+\d\.\d\d \.\. \+\d\.\d\d, 480 points\)$/,
    );
  });

  it('gives no figure from fewer than three points or a single instant', () => {
    expect(fitTrend([{ t: 0, value: 1 }]).slopePerHour).toBeNaN();
    expect(
      fitTrend([
        { t: 5, value: 1 },
        { t: 5, value: 2 },
        { t: 5, value: 3 },
      ]).slopePerHour,
    ).toBeNaN();
    expect(describeTrend(fitTrend([]))).toBe('n/a (0 points)');
  });
});

describe('tQuantile95', () => {
  it('is never narrower than the true quantile between tabulated points', () => {
    expect(tQuantile95(1)).toBe(12.706);
    expect(tQuantile95(11)).toBe(2.228); // true 2.201
    expect(tQuantile95(1000)).toBe(1.96);
  });
});
