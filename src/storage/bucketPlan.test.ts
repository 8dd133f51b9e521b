import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidationError } from '../resilience/index.js';
import { MAX_POINTS, planBuckets } from './bucketPlan.js';
import { DEFAULT_RETENTION } from './options.js';

const DAY = 86_400_000;

describe('planBuckets', () => {
  it('never plans more buckets than points, and the buckets cover [from, to] exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000_000 }),
        fc.integer({ min: 0, max: 400 * DAY }),
        fc.integer({ min: 1, max: MAX_POINTS }),
        fc.integer({ min: 0, max: 400 * DAY }),
        (from, span, points, ageMs) => {
          const to = from + span;
          const plan = planBuckets({ from, to, points }, to + ageMs, DEFAULT_RETENTION);
          expect(plan.buckets).toBeLessThanOrEqual(points);
          expect(plan.buckets).toBeGreaterThanOrEqual(1);
          expect(plan.bucketMs % plan.resolutionMs).toBe(0);
          expect(plan.origin % plan.resolutionMs).toBe(0);
          expect(plan.origin).toBeLessThanOrEqual(from);
          expect(from - plan.origin).toBeLessThan(plan.resolutionMs);
          // `to` falls in the last bucket.
          expect(plan.origin + (plan.buckets - 1) * plan.bucketMs).toBeLessThanOrEqual(to);
          expect(plan.origin + plan.buckets * plan.bucketMs).toBeGreaterThan(to);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('picks the coarsest table no wider than the ideal bucket', () => {
    const now = 100 * DAY;
    expect(planBuckets({ from: now - 3_600_000, to: now, points: 500 }, now, DEFAULT_RETENTION).source).toBe(
      'raw',
    );
    expect(planBuckets({ from: now - DAY, to: now, points: 500 }, now, DEFAULT_RETENTION).source).toBe(
      'minute',
    );
    expect(planBuckets({ from: now - 30 * DAY, to: now, points: 500 }, now, DEFAULT_RETENTION).source).toBe(
      'hour',
    );
  });

  it('reads a coarser table where retention has thinned the finer one', () => {
    const now = 200 * DAY;
    const tenDaysAgo = now - 10 * DAY;
    expect(
      planBuckets({ from: tenDaysAgo, to: tenDaysAgo + 3_600_000, points: 500 }, now, DEFAULT_RETENTION)
        .source,
    ).toBe('minute');
    const halfYearAgo = now - 180 * DAY;
    expect(
      planBuckets({ from: halfYearAgo, to: halfYearAgo + DAY, points: 500 }, now, DEFAULT_RETENTION).source,
    ).toBe('hour');
  });

  it('names the field of a bad query', () => {
    for (const [query, field] of [
      [{ from: -1, to: 5, points: 10 }, 'from'],
      [{ from: 10, to: 5, points: 10 }, 'to'],
      [{ from: 0, to: 5, points: 0 }, 'points'],
      [{ from: 0, to: 5, points: MAX_POINTS + 1 }, 'points'],
      [{ from: 0, to: 5.5, points: 10 }, 'to'],
    ] as const) {
      let caught: unknown;
      try {
        planBuckets(query, 0, DEFAULT_RETENTION);
      } catch (error) {
        caught = error;
      }
      expect(isValidationError(caught)).toBe(true);
      expect((caught as { field?: string }).field).toBe(field);
    }
  });
});
