/**
 * Numbered PostgreSQL migrations. `solowatch_schema` holds one row per migration applied. As on
 * SQLite, a released migration is never edited: a schema change is a new one. All pending
 * migrations run in one transaction under an advisory lock, so instances starting together on one
 * database migrate it once, and a failure leaves it at the version it had.
 */
import { NewerSchemaError } from '../errors.js';
import { V1_METRIC_COLUMNS } from '../migrations.js';
import type { SqlClient, SqlQueryable } from './SqlClient.js';

export interface PgMigration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

function rollupTable(name: string): string {
  const columns = V1_METRIC_COLUMNS.map(
    (c) =>
      `${c}_n integer NOT NULL DEFAULT 0, ${c}_sum double precision NOT NULL DEFAULT 0, ${c}_min double precision, ${c}_max double precision`,
  );
  return `CREATE TABLE ${name} (
    series integer NOT NULL,
    bucket bigint NOT NULL,
    samples integer NOT NULL,
    ${columns.join(',\n    ')},
    PRIMARY KEY (series, bucket)
  );`;
}

const v1: PgMigration = {
  version: 1,
  description:
    'miners, raw metrics with minute and hour rollups, events, alerts, best difficulty, breaker snapshots',
  sql: `
    CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
    CREATE TABLE miners (
      id text PRIMARY KEY,
      name text NOT NULL,
      host text NOT NULL,
      port integer NOT NULL,
      kind text NOT NULL,
      mac text,
      hostname text,
      interval_ms bigint,
      enabled boolean NOT NULL,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL
    );
    CREATE INDEX miners_by_mac ON miners (mac) WHERE mac IS NOT NULL;
    -- A small integer per miner id keeps the raw table narrow; it outlives the miner row so that
    -- history kept after a delete still has a name.
    CREATE TABLE metric_series (key serial PRIMARY KEY, miner_id text NOT NULL UNIQUE);
    CREATE TABLE metrics (
      series integer NOT NULL,
      ts bigint NOT NULL,
      ${V1_METRIC_COLUMNS.map((c) => `${c} double precision`).join(',\n      ')},
      backfilled boolean NOT NULL DEFAULT false,
      PRIMARY KEY (series, ts)
    );
    -- Rows arrive in time order, so a BRIN index finds retention's old rows for almost nothing.
    CREATE INDEX metrics_by_ts ON metrics USING brin (ts);
    ${rollupTable('metrics_minute')}
    ${rollupTable('metrics_hour')}
    CREATE TABLE events (
      id bigserial PRIMARY KEY,
      miner_id text,
      type text NOT NULL,
      severity text NOT NULL,
      message text NOT NULL,
      ts bigint NOT NULL,
      data jsonb NOT NULL
    );
    CREATE INDEX events_by_ts ON events (ts);
    CREATE INDEX events_by_miner ON events (miner_id, ts);
    CREATE TABLE alerts (
      id bigserial PRIMARY KEY,
      key text NOT NULL,
      miner_id text,
      condition text NOT NULL,
      severity text NOT NULL,
      message text NOT NULL,
      opened_at bigint NOT NULL,
      last_notified_at bigint,
      notifications integer NOT NULL,
      cleared_at bigint
    );
    -- One open alert per key; cleared ones stay as history.
    CREATE UNIQUE INDEX alerts_open_by_key ON alerts (key) WHERE cleared_at IS NULL;
    CREATE INDEX alerts_by_opened ON alerts (opened_at);
    CREATE TABLE best_difficulty (
      miner_id text PRIMARY KEY,
      best double precision NOT NULL,
      achieved_at bigint NOT NULL
    );
    CREATE TABLE breaker_snapshots (
      name text PRIMARY KEY,
      snapshot jsonb NOT NULL,
      saved_at bigint NOT NULL
    );
  `,
};

const v2: PgMigration = {
  version: 2,
  description: 'instances sharing one fleet: their heartbeats and the lease of each miner',
  sql: `
    -- Times are the server's (epoch ms), so instances on machines whose clocks disagree still agree.
    CREATE TABLE instances (
      id text PRIMARY KEY,
      url text,
      started_at bigint NOT NULL,
      heartbeat_at bigint NOT NULL
    );
    -- One row per leased miner: its poller until expires_at. An owner with more than its share
    -- offers a lease (offered), handing the miner over at handover_at; the taker starts then.
    CREATE TABLE miner_leases (
      miner_id text PRIMARY KEY,
      owner text NOT NULL,
      expires_at bigint NOT NULL,
      offered boolean NOT NULL DEFAULT false,
      handover_at bigint NOT NULL
    );
    CREATE INDEX miner_leases_by_owner ON miner_leases (owner);
  `,
};

const v3: PgMigration = {
  version: 3,
  description:
    'instances sharing one fleet: the live view of each miner, written by the instance that polls it',
  sql: `
    -- The poller's view (status, last sample without raw replies, restart, breaker) as JSON, so
    -- every other instance's API shows it; updated_at (server time) lets them read only changes.
    CREATE TABLE miner_live (
      miner_id text PRIMARY KEY,
      owner text NOT NULL,
      view jsonb NOT NULL,
      updated_at bigint NOT NULL
    );
    CREATE INDEX miner_live_by_time ON miner_live (updated_at);
  `,
};

const v4: PgMigration = {
  version: 4,
  description: "miners' tags (a JSON list) and credentials (JSON, null when the device asks none)",
  sql: `
    ALTER TABLE miners ADD COLUMN tags jsonb NOT NULL DEFAULT '[]'::jsonb;
    ALTER TABLE miners ADD COLUMN credentials text;
  `,
};

const v5: PgMigration = {
  version: 5,
  description: 'schedule runs claimed by the instance that runs them (several instances fire each run once)',
  sql: `
    CREATE TABLE schedule_runs (
      name text NOT NULL,
      run_at bigint NOT NULL,
      instance_id text NOT NULL,
      PRIMARY KEY (name, run_at)
    );
  `,
};

/** Every migration, in order; `PG_MIGRATIONS[i].version === i + 1`. */
export const PG_MIGRATIONS: readonly PgMigration[] = Object.freeze([v1, v2, v3, v4, v5]);

/** The schema version this code writes. */
export const PG_SCHEMA_VERSION: number = PG_MIGRATIONS.length;

async function currentVersion(tx: SqlQueryable): Promise<number> {
  const { rows } = await tx.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM solowatch_schema',
  );
  return rows[0]?.version ?? 0;
}

/**
 * Applies the migrations after the database's version, up to `target`; refuses a database that
 * a newer solowatch has migrated (NewerSchemaError naming `server`).
 */
export async function migratePg(
  client: SqlClient,
  server: string,
  now: number,
  target: number = PG_SCHEMA_VERSION,
): Promise<{ from: number; to: number }> {
  return client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('solowatch migrate ' || current_schema()))");
    await tx.query(`CREATE TABLE IF NOT EXISTS solowatch_schema (
      version integer PRIMARY KEY,
      description text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const from = await currentVersion(tx);
    if (from > PG_SCHEMA_VERSION)
      throw new NewerSchemaError(
        server,
        from,
        PG_SCHEMA_VERSION,
        'another database (storage.url) or schema (storage.schema)',
      );
    for (const migration of PG_MIGRATIONS) {
      if (migration.version <= from || migration.version > target) continue;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO solowatch_schema (version, description, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.description,
        now,
      ]);
    }
    await tx.query(
      "INSERT INTO meta (key, value) VALUES ('last_opened_at', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      [String(now)],
    );
    if (from === 0) {
      await tx.query("INSERT INTO meta (key, value) VALUES ('created_at', $1) ON CONFLICT DO NOTHING", [
        String(now),
      ]);
    }
    return { from, to: Math.max(from, Math.min(target, PG_SCHEMA_VERSION)) };
  });
}
