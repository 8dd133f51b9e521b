/** Contract: the write-behind queue in front of the database. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidationError } from '../../../src/resilience/index.js';
import type { Backend, Place } from '../backends.js';
import { NOW, sample } from '../helpers.js';

function samples(count: number, start = 0): ReturnType<typeof sample>[] {
  return Array.from({ length: count }, (_, i) => sample('m1', NOW + (start + i) * 1000));
}

export function queueContract(backend: () => Backend): void {
  let place: Place;
  beforeEach(async () => {
    place = await backend().fresh();
  });
  afterEach(() => place.remove());

  describe('write-behind queue', () => {
    it('writes a full batch at once and the remainder when the flush interval passes', async () => {
      const { storage, clock } = place.open({ batchSize: 10, flushIntervalMs: 1000 });
      await storage.initialize();
      await storage.saveMetrics(samples(25));
      await expect.poll(() => storage.stats().written).toBe(20);
      expect(await place.count('metrics')).toBe(20);
      await clock.advance(999);
      expect(storage.stats().written).toBe(20);
      await clock.advance(1);
      await expect.poll(() => storage.stats().written).toBe(25);
      expect(storage.stats().flushes).toBe(3);
      await storage.close();
    });

    it('makes samples durable before flush() resolves', async () => {
      const { storage } = place.open({ batchSize: 1000 });
      await storage.initialize();
      await storage.saveMetrics(samples(7));
      expect(await place.count('metrics')).toBe(0);
      await storage.flush();
      expect(await place.count('metrics')).toBe(7);
      await storage.close();
    });

    it('writes a sample stored twice once, and counts it once in the rollups', async () => {
      const { storage } = place.open();
      await storage.initialize();
      await storage.saveMetrics(samples(6));
      await storage.flush();
      await storage.saveMetrics([...samples(6), sample('m1', NOW + 2000)]);
      await storage.flush();
      expect(storage.stats().accepted).toBe(13);
      expect(storage.stats().written).toBe(6);
      const series = await storage.querySeries('m1', {
        from: NOW - 3_600_000,
        to: NOW + 3_600_000,
        points: 2,
      });
      expect(series.source).toBe('hour');
      expect(series.points.reduce((sum, p) => sum + p.count, 0)).toBe(6);
      await storage.close();
    });

    it('refuses a bad sample and accepts none of the call', async () => {
      const { storage } = place.open();
      await storage.initialize();
      const bad = [sample('m1', NOW), sample('m1', NOW + 1, { hashrateGhs: Number.NaN })];
      const error = await storage.saveMetrics(bad).catch((e: unknown) => e);
      expect(isValidationError(error)).toBe(true);
      expect((error as Error).message).toMatch(/sample 1.*hashrateGhs/);
      expect(storage.stats().accepted).toBe(0);
      await storage.close();
    });

    it('drains the queue on close, and reads see queued samples before they are written', async () => {
      const { storage } = place.open({ batchSize: 1000 });
      await storage.initialize();
      await storage.saveMetrics(samples(5));
      expect((await storage.latestMetric('m1'))?.timestamp).toBe(NOW + 4000);
      await storage.close();
      expect(await place.count('metrics')).toBe(5);
    });

    it('keeps every field of a sample, nulls and the backfill flag included', async () => {
      const { storage } = place.open();
      await storage.initialize();
      const full = sample('m9', NOW, {
        vrTemperatureC: 61.25,
        bestDifficulty: 123_456_789_012,
        backfilled: true,
        hashrateGhs: null,
      });
      await storage.saveMetrics([full]);
      await storage.flush();
      expect(await storage.latestMetric('m9')).toEqual(full);
      await storage.close();
    });
  });
}
