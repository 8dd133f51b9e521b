import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDelay, exponentialDelay } from './backoff.js';
import { type BackoffConfig, DEFAULT_RETRY_CONFIG, type JitterMode } from './config.js';

const base: BackoffConfig = { ...DEFAULT_RETRY_CONFIG, jitter: 'none' };

const arbConfig = fc.record({
  baseDelayMs: fc.double({ min: 0, max: 10_000, noNaN: true }),
  maxDelayMs: fc.double({ min: 0, max: 120_000, noNaN: true }),
  exponentialBase: fc.double({ min: 1, max: 4, noNaN: true }),
  backoffFactor: fc.double({ min: 0, max: 5, noNaN: true }),
  jitter: fc.constantFrom<JitterMode>('none', 'full', 'equal', 'decorrelated'),
});
const arbAttempt = fc.integer({ min: 1, max: 2000 });
const arbRandom = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('exponentialDelay', () => {
  it('follows min(max, base * factor * exp^(k-1)) with k = 1 for the first retry', () => {
    expect([1, 2, 3, 4, 5].map((k) => exponentialDelay(k, base))).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(exponentialDelay(7, base)).toBe(60_000);
    expect(exponentialDelay(2, { ...base, backoffFactor: 1.5, exponentialBase: 3 })).toBe(4500);
  });

  it('stays a number when the power overflows, even with a zero base', () => {
    expect(exponentialDelay(5000, base)).toBe(60_000);
    expect(exponentialDelay(5000, { ...base, baseDelayMs: 0 })).toBe(0);
  });
});

describe('computeDelay', () => {
  it('none: exactly the exponential delay', () => {
    expect(computeDelay(3, undefined, base, () => 0.9)).toBe(4000);
  });

  it('full: random * value', () => {
    expect(computeDelay(3, undefined, { ...base, jitter: 'full' }, () => 0.25)).toBe(1000);
    expect(computeDelay(3, undefined, { ...base, jitter: true }, () => 0.5)).toBe(2000);
    expect(computeDelay(3, undefined, { ...base, jitter: false }, () => 0.5)).toBe(4000);
  });

  it('equal: value/2 + random * value/2', () => {
    expect(computeDelay(3, undefined, { ...base, jitter: 'equal' }, () => 0)).toBe(2000);
    expect(computeDelay(3, undefined, { ...base, jitter: 'equal' }, () => 0.5)).toBe(3000);
  });

  it('decorrelated: uniform in [base, 3 * previous], the first retry taking base as previous', () => {
    const config: BackoffConfig = { ...base, jitter: 'decorrelated' };
    expect(computeDelay(1, undefined, config, () => 0)).toBe(1000);
    expect(computeDelay(1, undefined, config, () => 0.5)).toBe(2000);
    // On the first retry a stray previous value is ignored.
    expect(computeDelay(1, 50_000, config, () => 0.5)).toBe(2000);
    expect(computeDelay(2, 4000, config, () => 0.5)).toBe(6500);
    expect(computeDelay(2, 40_000, config, () => 0.99)).toBe(60_000);
  });

  it('property: every mode stays within [0, maxDelayMs]', () => {
    fc.assert(
      fc.property(
        arbConfig,
        arbAttempt,
        fc.double({ min: 0, max: 200_000, noNaN: true }),
        arbRandom,
        (config, k, prev, r) => {
          const delay = computeDelay(k, prev, config, () => r);
          return Number.isFinite(delay) && delay >= 0 && delay <= config.maxDelayMs;
        },
      ),
    );
  });

  it('property: full jitter lies in [0, value], equal jitter in [value/2, value]', () => {
    fc.assert(
      fc.property(arbConfig, arbAttempt, arbRandom, (config, k, r) => {
        const value = exponentialDelay(k, config);
        const full = computeDelay(k, undefined, { ...config, jitter: 'full' }, () => r);
        const equal = computeDelay(k, undefined, { ...config, jitter: 'equal' }, () => r);
        return full >= 0 && full <= value && equal >= value / 2 && equal <= value;
      }),
    );
  });

  it('property: without jitter the delay is monotone in the attempt and reaches the cap', () => {
    fc.assert(
      fc.property(arbConfig, fc.integer({ min: 1, max: 200 }), (config, k) => {
        const plain = { ...config, jitter: 'none' as const };
        const now = computeDelay(k, undefined, plain, Math.random);
        const next = computeDelay(k + 1, undefined, plain, Math.random);
        return next >= now && next <= config.maxDelayMs;
      }),
    );
    fc.assert(
      fc.property(arbConfig, (config) => {
        const plain = { ...config, jitter: 'none' as const, exponentialBase: 2, backoffFactor: 1 };
        fc.pre(plain.baseDelayMs > 0);
        return computeDelay(2000, undefined, plain, Math.random) === plain.maxDelayMs;
      }),
    );
  });

  it('property: decorrelated lies in [base, min(max, 3 * previous)] (clamped by the cap)', () => {
    fc.assert(
      fc.property(
        arbConfig,
        fc.integer({ min: 2, max: 50 }),
        fc.double({ min: 0, max: 200_000, noNaN: true }),
        arbRandom,
        (config, k, prev, r) => {
          const delay = computeDelay(k, prev, { ...config, jitter: 'decorrelated' }, () => r);
          const high = Math.max(config.baseDelayMs, 3 * prev);
          return (
            delay <= config.maxDelayMs &&
            delay <= high &&
            delay >= Math.min(config.baseDelayMs, config.maxDelayMs)
          );
        },
      ),
    );
  });

  it('property: a larger random never gives a shorter delay (random is the only source of spread)', () => {
    fc.assert(
      fc.property(arbConfig, arbAttempt, arbRandom, arbRandom, (config, k, r1, r2) => {
        const [low, high] = r1 <= r2 ? [r1, r2] : [r2, r1];
        return computeDelay(k, 1234, config, () => low) <= computeDelay(k, 1234, config, () => high);
      }),
    );
  });
});
