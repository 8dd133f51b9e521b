/** Contract: retention thins each table to its policy, in small steps, by itself on the clock. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, Place } from '../backends.js';
import { DAY, NOW, sample } from '../helpers.js';

/** Samples every 10 minutes for 2 hours at each age, for two miners. */
function history(ages: readonly number[]): ReturnType<typeof sample>[] {
  return ages.flatMap((age) =>
    ['m1', 'm2'].flatMap((id) => Array.from({ length: 12 }, (_, i) => sample(id, NOW - age + i * 600_000))),
  );
}

export function retentionContract(backend: () => Backend): void {
  let place: Place;
  beforeEach(async () => {
    place = await backend().fresh();
  });
  afterEach(() => place.remove());

  describe('retention', () => {
    it('keeps raw rows 7 days, minute rollups 90 days and hour rollups forever, in small steps', async () => {
      const { storage } = place.open({ retentionChunk: 3, retentionIntervalMs: 0 });
      await storage.initialize();
      await storage.saveMetrics(history([200 * DAY, 30 * DAY, DAY]));
      await storage.flush();
      const removed = await storage.runRetention();
      // Raw: 2 ages x 24 rows older than 7 days; minute: 24 one-per-sample rows older than 90 days.
      expect(removed).toBe(48 + 24);
      expect(await place.count('metrics', 'ts', NOW - 7 * DAY)).toBe(0);
      expect(await place.count('metrics', 'ts', NOW)).toBe(24);
      expect(await place.count('metrics_minute', 'bucket', NOW - 90 * DAY)).toBe(0);
      expect(await place.count('metrics_minute', 'bucket', NOW)).toBe(48);
      expect(await place.count('metrics_hour', 'bucket', NOW)).toBe(12);
      expect(await storage.runRetention()).toBe(0);

      // Old ranges are answered from the tables that still hold them.
      const month = await storage.querySeries('m1', {
        from: NOW - 30 * DAY,
        to: NOW - 30 * DAY + 7_200_000,
        points: 500,
      });
      expect(month.source).toBe('minute');
      expect(month.points.reduce((s, p) => s + p.count, 0)).toBe(12);
      const old = await storage.querySeries('m1', {
        from: NOW - 200 * DAY,
        to: NOW - 200 * DAY + 7_200_000,
        points: 500,
      });
      expect(old.source).toBe('hour');
      expect(old.points.reduce((s, p) => s + p.count, 0)).toBe(12);
      await storage.close();
    });

    it('keeps events and cleared alerts 90 days, open alerts whatever their age', async () => {
      const { storage } = place.open({ retentionChunk: 2, retentionIntervalMs: 0 });
      await storage.initialize();
      for (const age of [200 * DAY, 120 * DAY, 100 * DAY, 91 * DAY, 89 * DAY, DAY]) {
        await storage.recordEvent({
          minerId: 'm1',
          type: 'went_offline',
          severity: 'warning',
          message: `${age / DAY} days ago`,
          timestamp: NOW - age,
          data: {},
        });
      }
      const alert = (key: string, openedAgo: number, clearedAgo: number | null) =>
        storage.upsertAlert({
          key,
          minerId: 'm1',
          condition: 'offline',
          severity: 'warning',
          message: key,
          openedAt: NOW - openedAgo,
          lastNotifiedAt: null,
          notifications: 1,
          clearedAt: clearedAgo === null ? null : NOW - clearedAgo,
        });
      await alert('cleared long ago', 200 * DAY, 199 * DAY);
      await alert('cleared lately', 200 * DAY, 10 * DAY);
      await alert('open for long', 300 * DAY, null);
      // 4 events older than 90 days (in steps of 2) and the one alert cleared before then.
      expect(await storage.runRetention()).toBe(5);
      expect((await storage.listEvents()).map((e) => e.message)).toEqual(['1 days ago', '89 days ago']);
      expect((await storage.listAlerts()).map((a) => a.message).sort()).toEqual([
        'cleared lately',
        'open for long',
      ]);
      expect(await storage.runRetention()).toBe(0);
      await storage.close();
    });

    it('runs by itself on the clock, and stops with close()', async () => {
      const { storage, clock } = place.open({ retentionIntervalMs: 3_600_000 });
      await storage.initialize();
      await storage.saveMetrics(history([10 * DAY]));
      await storage.flush();
      expect(await place.count('metrics', 'ts', NOW)).toBe(24);
      await clock.advance(3_600_000);
      // The job's database calls are real I/O: wait for them, not for time.
      await expect.poll(() => place.count('metrics', 'ts', NOW)).toBe(0);
      await storage.close();
      expect(clock.pendingSleeps).toBe(0);
    });
  });
}
