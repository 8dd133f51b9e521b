import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isNewerSchemaError,
  isStorageError,
  MIGRATIONS,
  migrate,
  SCHEMA_VERSION,
  SqliteStorage,
} from '../../src/storage/index.js';
import { openDatabase } from '../../src/storage/openDatabase.js';
import { DAY, harness, NOW, sample, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

function tables(path: string): string[] {
  const db = new BetterSqlite3(path, { readonly: true });
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  db.close();
  return names as string[];
}

/** A file as an earlier release left it: migrated to `version` only, with raw samples in it. */
function oldFile(path: string, version: number): void {
  const db = new BetterSqlite3(path);
  // Rows as version 1 wrote them, then the later migrations up to `version` (which build the
  // rollups from them, as a release at that version would have kept them).
  migrate(db, 1);
  db.prepare(`INSERT INTO miners (id, name, host, port, kind, mac, hostname, interval_ms, enabled, created_at, updated_at)
    VALUES ('m1', 'Bitaxe', '10.0.0.5', 80, 'axeos', NULL, NULL, NULL, 1, ${NOW}, ${NOW})`).run();
  db.prepare("INSERT INTO metric_series (key, miner_id) VALUES (1, 'm1')").run();
  const insert = db.prepare(
    'INSERT INTO metrics (series, ts, hashrate_ghs, power_w, backfilled) VALUES (1, ?, ?, 15, 0)',
  );
  for (let i = 0; i < 360; i += 1) insert.run(NOW - DAY + i * 10_000, 400 + (i % 10));
  migrate(db, version);
  db.close();
}

describe('migrations', () => {
  it('numbers migrations 1..N with the schema version equal to N', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('creates every table on an empty file, in WAL mode', async () => {
    const path = tmp.file('new.db');
    const { storage } = harness(path);
    await storage.initialize();
    expect(storage.migratedFrom).toBe(0);
    expect(storage.schemaVersion).toBe(SCHEMA_VERSION);
    await storage.close();
    expect(tables(path)).toEqual(
      expect.arrayContaining(['miners', 'metrics', 'metrics_minute', 'metrics_hour', 'events', 'alerts']),
    );
    const db = new BetterSqlite3(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  for (let version = 1; version < SCHEMA_VERSION; version += 1) {
    it(`upgrades a version ${version} file and keeps its data`, async () => {
      const path = tmp.file(`v${version}.db`);
      oldFile(path, version);
      const { storage } = harness(path);
      await storage.initialize();
      expect(storage.migratedFrom).toBe(version);
      expect(storage.schemaVersion).toBe(SCHEMA_VERSION);
      // Version 2 built the rollups from the raw rows: an hour-source chart sees every sample.
      const series = await storage.querySeries('m1', { from: NOW - DAY, to: NOW, points: 12 });
      expect(series.source).toBe('hour');
      expect(series.points.reduce((sum, p) => sum + p.count, 0)).toBe(360);
      expect(series.points[0]?.values.hashrateGhs.min).toBe(400);
      expect(series.points[0]?.values.hashrateGhs.max).toBe(409);
      expect((await storage.latestMetric('m1'))?.timestamp).toBe(NOW - DAY + 359 * 10_000);
      // Version 3 gave miners tags and credentials: none, for a miner from before.
      const miner = await storage.getMinerConfig('m1');
      expect([miner?.name, miner?.tags, miner?.credentials]).toEqual(['Bitaxe', [], null]);
      await storage.close();
    });
  }

  it('opens a current file without migrating it again', async () => {
    const path = tmp.file('current.db');
    const first = harness(path).storage;
    await first.initialize();
    await first.close();
    const again = harness(path).storage;
    await again.initialize();
    expect(again.migratedFrom).toBe(SCHEMA_VERSION);
    await again.close();
  });
});

describe('files initialize refuses', () => {
  it('names a file that is not a database, without retrying', async () => {
    const path = tmp.file('notes.db');
    writeFileSync(path, 'these are my notes, not a database '.repeat(200));
    const { storage, manager } = harness(path);
    const error = await storage.initialize().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isStorageError(error) && error.code).toBe('NOT_A_DATABASE');
    expect((error as Error).message).toContain(path);
    expect(manager.getStats().database?.failureCount ?? 0).toBe(0);
  });

  it('names the path and both versions for a newer schema', async () => {
    const path = tmp.file('future.db');
    const db = new BetterSqlite3(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 7}`);
    db.close();
    const error = await harness(path)
      .storage.initialize()
      .catch((e: unknown) => e);
    expect(isNewerSchemaError(error)).toBe(true);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain(`version ${SCHEMA_VERSION + 7}`);
    expect((error as Error).message).toContain(`version ${SCHEMA_VERSION}`);
  });

  it('says a read-only file is read-only', async () => {
    const path = tmp.file('ro.db');
    const setup = new SqliteStorage({ path, retentionIntervalMs: 0 });
    await setup.initialize();
    await setup.close();
    chmodSync(path, 0o444);
    chmodSync(tmp.dir, 0o755);
    // Root ignores file modes, so as root the child drops to `nobody` before opening the file.
    // It loads every module first, as root: `nobody` may not be able to read the checkout (a
    // clone under /root or any 0700 directory), but needs only the database file.
    const dropToNobody = process.getuid?.() === 0;
    const script = `import { SqliteStorage } from ${JSON.stringify(new URL('../../src/storage/index.ts', import.meta.url).pathname)};
      if (${dropToNobody}) { process.setgroups([]); process.setgid(65534); process.setuid(65534); }
      const s = new SqliteStorage({ path: ${JSON.stringify(path)}, retentionIntervalMs: 0 });
      s.initialize().then(() => console.log('OPENED'), (e) => console.log(e.code + ' ' + e.message));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: new URL('../..', import.meta.url).pathname,
      timeout: 20_000,
    });
    expect(result.stdout.trim()).toMatch(/^READ_ONLY /);
    expect(result.stdout).toContain(path);
  });
});

describe('initialize', () => {
  it('retries a locked file and succeeds once the lock is gone', async () => {
    const path = tmp.file('locked.db');
    const blocker = new BetterSqlite3(path);
    blocker.pragma('journal_mode = WAL');
    blocker.exec('CREATE TABLE holder (x)');
    blocker.exec('BEGIN EXCLUSIVE');
    const { storage, clock, manager } = harness(path, { retry: { jitter: 'none' } });
    const opening = storage.initialize();
    await clock.advance(0);
    blocker.exec('COMMIT');
    blocker.close();
    await clock.advance(5000);
    await opening;
    expect(storage.schemaVersion).toBe(SCHEMA_VERSION);
    // At least one attempt hit SQLITE_BUSY and was retried; the success then closed the count.
    expect(manager.getStats().database?.failures).toBeGreaterThanOrEqual(1);
    expect(manager.getStats().database?.failureCount).toBe(0);
    await storage.close();
  });

  it('is idempotent and refuses calls before it', async () => {
    const { storage } = harness(tmp.file('idem.db'));
    await expect(storage.listMiners()).rejects.toMatchObject({ code: 'NOT_INITIALIZED' });
    await storage.initialize();
    await storage.initialize();
    await storage.saveMetrics([sample('m1', NOW)]);
    await storage.close();
  });
});

describe('openDatabase', () => {
  it('sets the page cache it is given, in KiB', () => {
    const { db } = openDatabase({
      path: tmp.file('cache.db'),
      busyTimeoutMs: 100,
      synchronous: 'NORMAL',
      cacheSizeKiB: 2048,
      now: NOW,
    });
    try {
      expect(db.pragma('cache_size', { simple: true })).toBe(-2048);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });
});
