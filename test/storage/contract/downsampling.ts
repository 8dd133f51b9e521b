/** Contract: chart queries aggregate exactly, from raw rows and both rollups, per miner and fleet-wide. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_FIELDS } from '../../../src/storage/index.js';
import type { Backend, ContractHarness, Place } from '../backends.js';
import { DAY, NOW, sample } from '../helpers.js';

export function downsamplingContract(backend: () => Backend): void {
  let place: Place;
  let storage: ContractHarness['storage'];
  let run = 0;
  beforeAll(async () => {
    place = await backend().fresh();
    storage = place.open({ retentionIntervalMs: 0 }).storage;
    await storage.initialize();
  });
  afterAll(async () => {
    await storage.close();
    await place.remove();
  });

  const close = (a: number, b: number): boolean =>
    Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

  describe('querySeries downsampling laws', () => {
    it('returns at most `points` buckets with min <= avg <= max, and preserves counts, sums and extremes', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 60_000, max: 40 * DAY }),
          fc.integer({ min: 1, max: 600 }),
          fc.uniqueArray(
            fc.record({
              at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
              // SQLite stores -0 as 0; adding 0 makes the generator agree.
              temperature: fc.double({ min: -20, max: 120, noNaN: true }).map((v) => v + 0),
              hashrate: fc.option(
                fc.double({ min: 0, max: 2e4, noNaN: true }).map((v) => v + 0),
                { nil: null },
              ),
            }),
            { minLength: 1, maxLength: 150, selector: (s) => s.at },
          ),
          async (span, points, draws) => {
            run += 1;
            const minerId = `law-${run}`;
            const from = NOW - span;
            const to = NOW - 1;
            const byTime = new Map(draws.map((d) => [from + Math.floor(d.at * (to - from + 1)), d]));
            const records = [...byTime].map(([timestamp, d]) =>
              sample(minerId, timestamp, { temperatureC: d.temperature, hashrateGhs: d.hashrate }),
            );
            await storage.saveMetrics(records);
            await storage.flush();

            const series = await storage.querySeries(minerId, { from, to, points });
            expect(series.points.length).toBeLessThanOrEqual(points);
            expect(series.points.reduce((sum, p) => sum + p.count, 0)).toBe(records.length);
            let previous = Number.NEGATIVE_INFINITY;
            for (const point of series.points) {
              expect(point.timestamp).toBeGreaterThan(previous);
              previous = point.timestamp;
              expect(point.timestamp).toBeLessThanOrEqual(to);
              for (const field of METRIC_FIELDS) {
                const { avg, min, max } = point.values[field];
                if (avg === null) continue;
                expect(min).not.toBeNull();
                expect(min as number).toBeLessThanOrEqual(avg);
                expect(avg).toBeLessThanOrEqual(max as number);
              }
            }
            // Temperature is never null, so avg x count summed over buckets is the total.
            const total = records.reduce((sum, r) => sum + (r.temperatureC as number), 0);
            const merged = series.points.reduce(
              (sum, p) => sum + (p.values.temperatureC.avg as number) * p.count,
              0,
            );
            expect(close(merged, total)).toBe(true);
            const temps = records.map((r) => r.temperatureC as number);
            expect(Math.min(...series.points.map((p) => p.values.temperatureC.min as number))).toBe(
              Math.min(...temps),
            );
            expect(Math.max(...series.points.map((p) => p.values.temperatureC.max as number))).toBe(
              Math.max(...temps),
            );
            const hashrates = records.map((r) => r.hashrateGhs).filter((h): h is number => h !== null);
            const hashMax = series.points
              .map((p) => p.values.hashrateGhs.max)
              .filter((h): h is number => h !== null);
            expect(hashMax.length > 0).toBe(hashrates.length > 0);
            if (hashrates.length > 0) expect(Math.max(...hashMax)).toBe(Math.max(...hashrates));
          },
        ),
        { numRuns: 60 },
      );
    });

    it('gives the same totals from raw rows, minute and hour rollups', async () => {
      const records = Array.from({ length: 720 }, (_, i) =>
        sample('same', NOW - 2 * 3_600_000 + i * 10_000, { hashrateGhs: 400 + (i % 37) }),
      );
      await storage.saveMetrics(records);
      await storage.flush();
      const range = { from: NOW - 2 * 3_600_000, to: NOW - 1 };
      const sources = [];
      for (const points of [10_000, 120, 2]) {
        const series = await storage.querySeries('same', { ...range, points });
        sources.push(series.source);
        expect(series.points.reduce((sum, p) => sum + p.count, 0)).toBe(720);
        const sum = series.points.reduce((s, p) => s + (p.values.hashrateGhs.avg as number) * p.count, 0);
        expect(
          close(
            sum,
            records.reduce((s, r) => s + (r.hashrateGhs as number), 0),
          ),
        ).toBe(true);
      }
      expect(sources).toEqual(['raw', 'minute', 'hour']);
    });

    it('sums each miner’s bucket average into fleet totals', async () => {
      const ownPlace = await backend().fresh();
      const own = ownPlace.open({ retentionIntervalMs: 0 }).storage;
      await own.initialize();
      const start = NOW - 3_600_000;
      // Miner A is polled twice as often as B: it must not count twice.
      for (let i = 0; i < 60; i += 1) {
        await own.saveMetrics([
          sample('fleet-a', start + i * 60_000, { hashrateGhs: 90 + (i % 2) * 20, powerW: 10 }),
          sample('fleet-a', start + i * 60_000 + 30_000, { hashrateGhs: 100, powerW: 10 }),
          sample('fleet-b', start + i * 60_000, { hashrateGhs: 200, powerW: 20, expectedHashrateGhs: 250 }),
        ]);
      }
      await own.flush();
      for (const points of [1, 6, 60, 1000]) {
        const fleet = await own.queryFleetSeries({ from: start, to: NOW - 1, points });
        expect(fleet.length).toBeLessThanOrEqual(points);
        for (const point of fleet) {
          if (points > 60) continue;
          expect(point.miners).toBe(2);
          expect(point.powerW).toBeCloseTo(30, 9);
          expect(point.expectedHashrateGhs).toBeCloseTo(520 + 250, 9);
          if (points <= 6) expect(point.hashrateGhs).toBeCloseTo(300, 9);
        }
      }
      await own.close();
      await ownPlace.remove();
    });
  });
}
