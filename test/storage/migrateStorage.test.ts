/**
 * `solowatch migrate-storage`: a SQLite install's history copied into PostgreSQL, resumable, with
 * counts that match. The copy itself runs against the contract suite's PostgreSQL (server or
 * PGlite); the command end to end needs the real server and says it skipped without one.
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/resilience/testing.js';
import { migrate, SqliteStorage } from '../../src/storage/index.js';
import { type CopyProgress, copyFromSqlite } from '../../src/storage/postgres/copyFromSqlite.js';
import { PostgresStorage, serverName } from '../../src/storage/postgres/index.js';
import { cli } from '../cli/harness.js';
import {
  type Backend,
  dropSchema,
  postgresBackend,
  postgresRequired,
  serverAnswers,
  TEST_DATABASE_URL,
  TEST_SEAL,
} from './backends.js';
import { DAY, miner, NOW, sample, tempDir } from './helpers.js';

const backend: Backend = await postgresBackend();
const server = postgresRequired() || (await serverAnswers());
console.info(`migrate-storage copies into: ${backend.description}`);
if (!server)
  console.info(
    `the command end to end is skipped: no PostgreSQL server answers at ${serverName(TEST_DATABASE_URL)}`,
  );

const tmp = tempDir();
const path = tmp.file('home.db');
const range = { from: NOW - 40 * DAY, to: NOW, points: 400 };

/** A home install: 3 miners, 10 days of samples (raw thinned after 7), events, alerts, bests, breakers. */
beforeAll(async () => {
  const storage = new SqliteStorage({
    path,
    retentionIntervalMs: 0,
    clock: new FakeClock(NOW),
    credentialSeal: TEST_SEAL,
  });
  await storage.initialize();
  for (const id of ['a', 'b', 'c']) {
    await storage.saveMinerConfig(
      miner(id, {
        mac: id === 'c' ? null : `aa:bb:cc:dd:ee:0${id === 'a' ? 1 : 2}`,
        // Tags and credentials travel with the miner (`listMiners` is compared whole below).
        tags: id === 'c' ? [] : ['garage', `shelf:${id}`],
        credentials: id === 'a' ? { username: 'admin', password: 'hunter2' } : null,
      }),
    );
    const samples = Array.from({ length: 1440 }, (_, i) =>
      sample(id, NOW - 10 * DAY + i * 600_000, { hashrateGhs: 400 + (i % 17), backfilled: i % 100 === 0 }),
    );
    await storage.saveMetrics(samples);
    await storage.recordEvent({
      minerId: id,
      type: 'offline',
      severity: 'warning',
      message: `${id} went away`,
      timestamp: NOW - DAY,
      data: { id },
    });
    await storage.updateBestDifficulty(id, 1e9 + id.charCodeAt(0), NOW - DAY);
  }
  await storage.upsertAlert({
    key: 'offline:a',
    minerId: 'a',
    condition: 'offline',
    severity: 'warning',
    message: 'a is offline',
    openedAt: NOW - DAY,
    lastNotifiedAt: null,
    notifications: 1,
    clearedAt: null,
  });
  await storage.saveBreakerSnapshots([{ name: 'database', snapshot: { state: 'closed' }, savedAt: NOW }]);
  await storage.flush();
  await storage.runRetention();
  await storage.close();
});
afterAll(async () => {
  await backend.close();
  tmp.remove();
});

async function sqliteView() {
  const storage = new SqliteStorage({
    path,
    retentionIntervalMs: 0,
    clock: new FakeClock(NOW),
    credentialSeal: TEST_SEAL,
  });
  await storage.initialize();
  try {
    return {
      miners: await storage.listMiners(),
      series: await storage.querySeries('a', range),
      latest: await storage.latestMetric('b'),
      events: await storage.listEvents(),
      alerts: await storage.listAlerts(),
      best: await storage.getBestDifficulty('c'),
      breakers: await storage.loadBreakerSnapshots(),
    };
  } finally {
    await storage.close();
  }
}

describe('copying SQLite into PostgreSQL', () => {
  it('stops part way, resumes where it stopped, copies nothing twice, and the counts and reads match', async () => {
    const place = await backend.fresh();
    const target = place.open({ retentionIntervalMs: 0 }).storage as PostgresStorage;
    await target.initialize();
    const source = new BetterSqlite3(path);
    migrate(source);
    const controller = new AbortController();
    const seen: CopyProgress[] = [];
    const stopped = await copyFromSqlite(source, target.client, {
      chunk: 500,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.table === 'metrics' && p.copied >= 1000) controller.abort(new Error('stopped by the operator'));
      },
    }).catch((e: unknown) => e);
    expect((stopped as Error).message).toBe('stopped by the operator');
    expect(await place.count('metrics')).toBe(1000);

    const resumed: CopyProgress[] = [];
    const counts = await copyFromSqlite(source, target.client, {
      chunk: 500,
      onProgress: (p) => resumed.push(p),
    });
    source.close();
    expect(resumed.find((p) => p.table === 'metrics')?.copied).toBe(1000);
    for (const count of counts) expect(count, count.table).toMatchObject({ target: count.source });
    expect(counts.find((c) => c.table === 'metrics_minute')?.source).toBe(3 * 1440);
    expect(counts.find((c) => c.table === 'metrics')?.source).toBeLessThan(3 * 1440);

    const expected = await sqliteView();
    expect(await target.listMiners()).toEqual(expected.miners);
    expect(await target.querySeries('a', range)).toEqual(expected.series);
    expect(await target.latestMetric('b')).toEqual(expected.latest);
    expect(await target.listEvents()).toEqual(expected.events);
    expect(await target.listAlerts()).toEqual(expected.alerts);
    expect(await target.getBestDifficulty('c')).toEqual(expected.best);
    expect(await target.loadBreakerSnapshots()).toEqual(expected.breakers);
    // New rows continue after the copied ids.
    expect(
      await target.recordEvent({
        minerId: 'a',
        type: 'x',
        severity: 'info',
        message: 'after',
        timestamp: NOW,
        data: {},
      }),
    ).toBe(4);
    await target.close();
    await place.remove();
  });
});

describe('solowatch migrate-storage', () => {
  it('refuses a --from or --to it cannot use, naming the problem', async () => {
    const bad = await cli(['migrate-storage', '--from', path, '--to', 'postgres:postgres://h/db']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from must be sqlite:PATH');
    const missing = await cli([
      'migrate-storage',
      '--from',
      'sqlite:/nowhere/x.db',
      '--to',
      'postgres:postgres://h/db',
    ]);
    expect(missing.stderr).toContain('no database file at /nowhere/x.db');
    const url = await cli(['migrate-storage', '--from', `sqlite:${path}`, '--to', 'mysql://u:secret@h/db']);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('postgres://');
    expect(url.stderr).not.toContain('secret');
  });

  it.skipIf(!server)('copies with progress and prints counts that match', async () => {
    const schema = `t_${process.pid}_migrate`;
    try {
      const run = await cli([
        'migrate-storage',
        '--from',
        `sqlite:${path}`,
        '--to',
        `postgres:${TEST_DATABASE_URL}`,
        '--schema',
        schema,
      ]);
      expect(run.stderr).toContain('metrics_minute: 4320 / 4320 (100 %)');
      expect(run.stdout).toContain('all counts match.');
      expect(run.code).toBe(0);
      // Again: nothing left to copy, nothing doubled.
      const again = await cli([
        'migrate-storage',
        '--from',
        `sqlite:${path}`,
        '--to',
        `postgres:${TEST_DATABASE_URL}`,
        '--schema',
        schema,
      ]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('all counts match.');
      const target = new PostgresStorage({ url: TEST_DATABASE_URL, schema, retentionIntervalMs: 0 });
      await target.initialize();
      expect((await target.querySeries('a', range)).points.reduce((n, p) => n + p.count, 0)).toBe(1440);
      await target.close();
    } finally {
      await dropSchema(TEST_DATABASE_URL, schema);
    }
  });
});
