/** Contract: miners, events, alerts, best difficulty, breaker snapshots and the lifecycle. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidationError } from '../../../src/resilience/index.js';
import type { AlertRecord } from '../../../src/storage/index.js';
import { CredentialSeal } from '../../../src/storage/minerColumns.js';
import type { Backend, ContractHarness, Place } from '../backends.js';
import { DAY, miner, NOW, sample } from '../helpers.js';

function alert(overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    key: 'overheating:m1',
    minerId: 'm1',
    condition: 'overheating',
    severity: 'critical',
    message: 'chip at 75 C',
    openedAt: NOW,
    lastNotifiedAt: null,
    notifications: 0,
    clearedAt: null,
    ...overrides,
  };
}

export function recordsContract(backend: () => Backend): void {
  let place: Place;
  let storage: ContractHarness['storage'];
  beforeEach(async () => {
    place = await backend().fresh();
    storage = place.open().storage;
    await storage.initialize();
  });
  afterEach(async () => {
    await storage.close().catch(() => undefined);
    await place.remove();
  });

  async function reopen(): Promise<ContractHarness['storage']> {
    await storage.close();
    storage = place.open().storage;
    await storage.initialize();
    return storage;
  }

  describe('miners', () => {
    it('saves, updates and lists by id, and finds by MAC in any spelling', async () => {
      await storage.saveMinerConfig(miner('m1'));
      await storage.saveMinerConfig(miner('m2', { mac: null, host: '10.0.0.6' }));
      await storage.saveMinerConfig(miner('m1', { host: '10.0.0.99', updatedAt: NOW }));
      const s = await reopen();
      expect((await s.getMinerConfig('m1'))?.host).toBe('10.0.0.99');
      expect((await s.getMinerConfig('m1'))?.createdAt).toBe(NOW - DAY);
      expect((await s.listMiners()).map((m) => m.id)).toEqual(['m1', 'm2']);
      expect((await s.findMinerByMac('AA-BB-CC-DD-EE-01'))?.id).toBe('m1');
      expect((await s.getMinerConfig('m1'))?.mac).toBe('AA:BB:CC:DD:EE:01');
      expect(await s.getMinerConfig('m2')).toEqual(miner('m2', { mac: null, host: '10.0.0.6' }));
      expect(await s.findMinerByMac('00:00:00:00:00:00')).toBeNull();
      expect(await s.getMinerConfig('nope')).toBeNull();
    });

    it('deletes a miner keeping its history unless asked to drop it', async () => {
      await storage.saveMinerConfig(miner('m1'));
      await storage.saveMinerConfig(miner('m2', { mac: null }));
      await storage.saveMetrics([sample('m1', NOW - 1000), sample('m2', NOW - 1000)]);
      await storage.recordEvent({
        minerId: 'm2',
        type: 'offline',
        severity: 'warning',
        message: 'x',
        timestamp: NOW,
        data: {},
      });
      await storage.updateBestDifficulty('m2', 5e9, NOW);
      expect(await storage.deleteMiner('m1')).toBe(true);
      expect(await storage.deleteMiner('m1')).toBe(false);
      expect(await storage.getMinerConfig('m1')).toBeNull();
      expect((await storage.latestMetric('m1'))?.timestamp).toBe(NOW - 1000);

      // Queued samples of the dropped miner are flushed first, so none comes back afterwards.
      await storage.saveMetrics([sample('m2', NOW)]);
      expect(await storage.deleteMiner('m2', { dropHistory: true })).toBe(true);
      const s = await reopen();
      expect(await s.latestMetric('m2')).toBeNull();
      expect((await s.querySeries('m2', { from: NOW - DAY, to: NOW, points: 10 })).points).toEqual([]);
      expect(await s.listEvents({ minerId: 'm2' })).toEqual([]);
      expect(await s.getBestDifficulty('m2')).toBeNull();
      expect(await s.latestMetric('m1')).toEqual(sample('m1', NOW - 1000));
    });

    it('rejects bad records with a message naming the field', async () => {
      const error = await storage.saveMinerConfig(miner('m1', { port: 70000 })).catch((e: unknown) => e);
      expect(isValidationError(error)).toBe(true);
      expect((error as Error).message).toContain('port');
    });

    it('keeps tags and credentials, replaced as a whole, across a reopen', async () => {
      const login = { username: 'admin', password: 'p:ss "wörd"' };
      const mac = 'AA:BB:CC:DD:EE:01';
      await storage.saveMinerConfig(miner('m1', { tags: ['garage', 'rack:2'], credentials: login }));
      await storage.saveMinerConfig(miner('m2', { mac: null }));
      let s = await reopen();
      expect(await s.getMinerConfig('m1')).toEqual(
        miner('m1', { tags: ['garage', 'rack:2'], credentials: login, mac }),
      );
      expect((await s.listMiners()).map((m) => [m.id, m.tags, m.credentials])).toEqual([
        ['m1', ['garage', 'rack:2'], login],
        ['m2', [], null],
      ]);
      expect((await s.findMinerByMac(mac))?.tags).toEqual(['garage', 'rack:2']);

      await s.saveMinerConfig(miner('m1', { tags: ['attic'], credentials: null, updatedAt: NOW }));
      s = await reopen();
      expect(await s.getMinerConfig('m1')).toEqual(miner('m1', { tags: ['attic'], updatedAt: NOW, mac }));
    });

    it('keeps credentials another key sealed as they are, through a save on that instance', async () => {
      const login = { username: 'admin', password: 'only-for-the-right-key' };
      await storage.saveMinerConfig(miner('m1', { credentials: login }));
      await storage.close();
      const other = place.open({ credentialSeal: new CredentialSeal(Buffer.alloc(32, 9)) }).storage;
      await other.initialize();
      const read = await other.getMinerConfig('m1');
      expect(read?.credentials).toMatchObject({ sealed: expect.stringMatching(/^gcm1:/) });
      expect(JSON.stringify(read)).not.toContain(login.password);
      // Saving the miner again on that instance (a rename) loses nothing.
      await other.saveMinerConfig({ ...(read as NonNullable<typeof read>), name: 'renamed' });
      await other.close();
      storage = place.open().storage;
      await storage.initialize();
      expect(await storage.getMinerConfig('m1')).toMatchObject({ name: 'renamed', credentials: login });
    });

    it('refuses bad tags naming the field, and never shows a bad password', async () => {
      const tooMany = Array.from({ length: 21 }, (_, i) => `t${i}`);
      for (const tags of [['a b'], ['x', 'x'], [''], ['t'.repeat(33)], tooMany]) {
        const error = await storage.saveMinerConfig(miner('m1', { tags })).catch((e: unknown) => e);
        expect(isValidationError(error), JSON.stringify(tags)).toBe(true);
        expect((error as Error).message).toMatch(/`tags/);
      }
      const secret = { username: 'admin', password: 's3cr3t'.repeat(50) };
      const error = await storage
        .saveMinerConfig(miner('m1', { credentials: secret }))
        .catch((e: unknown) => e);
      expect(isValidationError(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /`credentials` must be null or \{ username, password \}.*got a hidden value/,
      );
      expect((error as Error).message).not.toContain('s3cr3t');
      expect(await storage.getMinerConfig('m1')).toBeNull();
    });
  });

  describe('events', () => {
    it('records and lists newest first, by miner and before a time', async () => {
      for (let i = 0; i < 5; i += 1) {
        const id = await storage.recordEvent({
          minerId: i % 2 === 0 ? 'm1' : 'm2',
          type: 'offline',
          severity: 'warning',
          message: `event ${i}`,
          timestamp: NOW + i,
          data: { i, nested: { why: 'a reason' } },
        });
        expect(id).toBe(i + 1);
      }
      const s = await reopen();
      expect((await s.listEvents()).map((e) => e.message)).toEqual([
        'event 4',
        'event 3',
        'event 2',
        'event 1',
        'event 0',
      ]);
      expect((await s.listEvents({ minerId: 'm1', limit: 2 })).map((e) => e.data)).toEqual([
        { i: 4, nested: { why: 'a reason' } },
        { i: 2, nested: { why: 'a reason' } },
      ]);
      expect((await s.listEvents({ before: NOW + 2 })).map((e) => e.id)).toEqual([2, 1]);
    });
  });

  describe('alerts', () => {
    it('upserts by key, keeps cleared ones as history and lists open ones after a restart', async () => {
      await storage.upsertAlert(alert());
      await storage.upsertAlert(alert({ notifications: 2, lastNotifiedAt: NOW + 10 }));
      await storage.upsertAlert(alert({ key: 'offline:m2', minerId: 'm2', condition: 'offline' }));
      let s = await reopen();
      const open = await s.listAlerts({ openOnly: true });
      expect(open.map((a) => a.key).sort()).toEqual(['offline:m2', 'overheating:m1']);
      expect(open.find((a) => a.key === 'overheating:m1')).toEqual(
        alert({ notifications: 2, lastNotifiedAt: NOW + 10 }),
      );

      await s.upsertAlert(alert({ notifications: 2, clearedAt: NOW + 100 }));
      await s.upsertAlert(alert({ openedAt: NOW + 200 }));
      s = await reopen();
      const all = await s.listAlerts({ minerId: 'm1' });
      expect(all.map((a) => [a.openedAt, a.clearedAt])).toEqual([
        [NOW + 200, null],
        [NOW, NOW + 100],
      ]);
      expect((await s.listAlerts({ openOnly: true, minerId: 'm1' })).map((a) => a.openedAt)).toEqual([
        NOW + 200,
      ]);
    });
  });

  describe('best difficulty', () => {
    it('only ever rises and survives a restart', async () => {
      expect(await storage.updateBestDifficulty('m1', 1e9, NOW)).toBe(true);
      expect(await storage.updateBestDifficulty('m1', 5e8, NOW + 1)).toBe(false);
      expect(await storage.updateBestDifficulty('m1', 1e9, NOW + 2)).toBe(false);
      expect(await storage.updateBestDifficulty('m1', 2e9, NOW + 3)).toBe(true);
      const s = await reopen();
      expect(await s.getBestDifficulty('m1')).toEqual({
        minerId: 'm1',
        bestDifficulty: 2e9,
        achievedAt: NOW + 3,
      });
      expect(await s.getBestDifficulty('m2')).toBeNull();
    });
  });

  describe('breaker snapshots', () => {
    it('replaces the saved set and loads it back', async () => {
      await storage.saveBreakerSnapshots([
        { name: 'database', snapshot: { state: 'closed' }, savedAt: NOW },
        { name: 'miner_operations:m1', snapshot: { state: 'open', openedAt: NOW - 5 }, savedAt: NOW },
      ]);
      await storage.saveBreakerSnapshots([
        { name: 'miner_operations:m1', snapshot: { state: 'half_open' }, savedAt: NOW + 1 },
      ]);
      const s = await reopen();
      expect(await s.loadBreakerSnapshots()).toEqual([
        { name: 'miner_operations:m1', snapshot: { state: 'half_open' }, savedAt: NOW + 1 },
      ]);
      await s.saveBreakerSnapshots([]);
      expect(await s.loadBreakerSnapshots()).toEqual([]);
    });
  });

  describe('lifecycle', () => {
    it('reports health with the breaker state and the queue', async () => {
      await storage.saveMetrics([sample('m1', NOW)]);
      const health = await storage.health();
      expect(health.ok).toBe(true);
      expect(health.breaker).toBe('closed');
      expect(health.stats.queued).toBe(1);
      expect(health.detail).toContain('1 queued');
      expect(health.detail).toContain(`schema v${storage.schemaVersion}`);
    });

    it('refuses calls after close and closes once', async () => {
      await storage.saveMetrics([sample('m1', NOW)]);
      await Promise.all([storage.close(), storage.close()]);
      await expect(storage.saveMetrics([sample('m1', NOW + 1)])).rejects.toMatchObject({ code: 'CLOSED' });
      expect((await storage.health()).ok).toBe(false);
      const s = await reopen().catch(() => null);
      expect(s).not.toBeNull();
      expect((await storage.latestMetric('m1'))?.timestamp).toBe(NOW);
    });

    it('is idempotent, refuses calls before it, and opens a current database without migrating it again', async () => {
      const second = place.open().storage;
      await expect(second.listMiners()).rejects.toMatchObject({ code: 'NOT_INITIALIZED' });
      await second.initialize();
      await second.initialize();
      expect(second.migratedFrom).toBe(second.schemaVersion);
      await second.close();
    });
  });
}
