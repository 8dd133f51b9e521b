/**
 * Numbered schema migrations. The database's `PRAGMA user_version` is the number of migrations
 * applied. A migration is never edited once released: a change to the schema is a new migration,
 * so that a file from any earlier release upgrades the same way. Each runs in its own transaction
 * together with the version bump, so a crash leaves the file at one version or the next.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly description: string;
  up(db: Database): void;
}

// Frozen copies of the metric columns as each migration knew them; later changes to
// FIELD_COLUMNS must not rewrite what an old migration does.
export const V1_METRIC_COLUMNS = [
  'hashrate_ghs',
  'expected_hashrate_ghs',
  'temperature_c',
  'vr_temperature_c',
  'power_w',
  'input_voltage_v',
  'fan_rpm',
  'shares_accepted',
  'shares_rejected',
  'best_difficulty',
  'session_best_difficulty',
  'uptime_s',
] as const;

const v1: Migration = {
  version: 1,
  description: 'miners, raw metrics, events, alerts, best difficulty, breaker snapshots',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE miners (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        host TEXT NOT NULL,
        port INTEGER NOT NULL,
        kind TEXT NOT NULL,
        mac TEXT,
        hostname TEXT,
        interval_ms INTEGER,
        enabled INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX miners_by_mac ON miners (mac) WHERE mac IS NOT NULL;
      -- Raw rows are keyed time first: every poll appends at the end of the B-tree, which
      -- writes 3-6x faster than (series, ts) scattered over every miner's pages. Charts that
      -- would read many raw rows of one miner read the per-series rollups instead.
      -- A small integer per miner id keeps the raw table narrow; it outlives the miner row so
      -- that history kept after a delete still has a name.
      CREATE TABLE metric_series (
        key INTEGER PRIMARY KEY,
        miner_id TEXT NOT NULL UNIQUE
      );
      CREATE TABLE metrics (
        series INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        ${V1_METRIC_COLUMNS.map((column) => `${column} REAL`).join(',\n        ')},
        backfilled INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (ts, series)
      ) WITHOUT ROWID;
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        miner_id TEXT,
        type TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        ts INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX events_by_ts ON events (ts);
      CREATE INDEX events_by_miner ON events (miner_id, ts);
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        miner_id TEXT,
        condition TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        last_notified_at INTEGER,
        notifications INTEGER NOT NULL,
        cleared_at INTEGER
      );
      -- One open alert per key; cleared ones stay as history.
      CREATE UNIQUE INDEX alerts_open_by_key ON alerts (key) WHERE cleared_at IS NULL;
      CREATE INDEX alerts_by_opened ON alerts (opened_at);
      CREATE TABLE best_difficulty (
        miner_id TEXT PRIMARY KEY,
        best REAL NOT NULL,
        achieved_at INTEGER NOT NULL
      );
      CREATE TABLE breaker_snapshots (
        name TEXT PRIMARY KEY,
        snapshot TEXT NOT NULL,
        saved_at INTEGER NOT NULL
      );
    `);
  },
};

function rollupTable(name: string): string {
  const columns = V1_METRIC_COLUMNS.map(
    (column) =>
      `${column}_n INTEGER NOT NULL DEFAULT 0, ${column}_sum REAL NOT NULL DEFAULT 0, ${column}_min REAL, ${column}_max REAL`,
  );
  return `CREATE TABLE ${name} (
    series INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    ${columns.join(',\n    ')},
    PRIMARY KEY (series, bucket)
  ) WITHOUT ROWID;`;
}

function rollupBackfill(name: string, bucketMs: number): string {
  const aggregates = V1_METRIC_COLUMNS.map(
    (column) => `count(${column}), total(${column}), min(${column}), max(${column})`,
  );
  return `INSERT INTO ${name} SELECT series, ts - ts % ${bucketMs}, count(*), ${aggregates.join(', ')}
    FROM metrics GROUP BY series, ts - ts % ${bucketMs};`;
}

const v2: Migration = {
  version: 2,
  description: 'per-minute and per-hour rollups (count, sum, min, max per field), built from raw rows',
  up(db) {
    db.exec(rollupTable('metrics_minute'));
    db.exec(rollupTable('metrics_hour'));
    db.exec(rollupBackfill('metrics_minute', 60_000));
    db.exec(rollupBackfill('metrics_hour', 3_600_000));
  },
};

const v3: Migration = {
  version: 3,
  description: "miners' tags (a JSON list) and credentials (JSON, null when the device asks none)",
  up(db) {
    db.exec(`ALTER TABLE miners ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE miners ADD COLUMN credentials TEXT;`);
  },
};

/** Every migration, in order; `MIGRATIONS[i].version === i + 1`. */
export const MIGRATIONS: readonly Migration[] = Object.freeze([v1, v2, v3]);

/** The schema version this code writes. */
export const SCHEMA_VERSION: number = MIGRATIONS.length;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations after the file's version, up to `target` (the tests build files of an
 * earlier version with it). Returns the versions before and after. The caller checks for a newer
 * schema first.
 */
export function migrate(db: Database, target: number = SCHEMA_VERSION): { from: number; to: number } {
  const from = schemaVersion(db);
  for (const migration of MIGRATIONS) {
    if (migration.version <= from || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: Math.max(from, Math.min(target, SCHEMA_VERSION)) };
}
