/**
 * Copies a SQLite database's whole history into PostgreSQL: miners, raw samples, both rollups
 * (they hold the history that retention thinned out of the raw rows), events, alerts, best
 * difficulty and breaker snapshots. Each chunk is committed together with how far the copy got
 * (`meta` key `copied_from_sqlite:<table>`), so a copy that stops for any reason resumes where it
 * stopped, and rows are never copied twice. Run it before solowatch writes to the target: rows
 * already there are kept, not merged.
 */
import type { Database } from 'better-sqlite3';
import { V1_METRIC_COLUMNS } from '../migrations.js';
import type { SqlClient, SqlQueryable } from './SqlClient.js';

export interface CopyProgress {
  readonly table: string;
  /** Rows of this table copied so far (this run and earlier ones). */
  readonly copied: number;
  readonly total: number;
}

export interface TableCount {
  readonly table: string;
  readonly source: number;
  readonly target: number;
}

export interface CopyOptions {
  /** Rows per transaction. @default 20000 */
  readonly chunk?: number;
  readonly onProgress?: (progress: CopyProgress) => void;
  readonly signal?: AbortSignal;
}

type Row = Record<string, unknown>;

interface TableSpec {
  readonly name: string;
  /** Columns copied, with their PostgreSQL types. */
  readonly columns: readonly (readonly [string, string])[];
  /** The source's key columns, in order: the copy walks them (keyset) and resumes after the last. */
  readonly key: readonly string[];
  /** Turns a source row into target values (same order as `columns`). */
  readonly convert?: (row: Row) => unknown[];
}

const METRIC_COLUMNS = V1_METRIC_COLUMNS.map((c) => [c, 'double precision'] as const);
const ROLLUP_COLUMNS = V1_METRIC_COLUMNS.flatMap((c) => [
  [`${c}_n`, 'integer'] as const,
  [`${c}_sum`, 'double precision'] as const,
  [`${c}_min`, 'double precision'] as const,
  [`${c}_max`, 'double precision'] as const,
]);

const bool = (value: unknown): boolean => value === 1 || value === true;

const TABLES: readonly TableSpec[] = [
  {
    name: 'miners',
    columns: [
      ['id', 'text'],
      ['name', 'text'],
      ['host', 'text'],
      ['port', 'integer'],
      ['kind', 'text'],
      ['mac', 'text'],
      ['hostname', 'text'],
      ['interval_ms', 'bigint'],
      ['enabled', 'boolean'],
      ['created_at', 'bigint'],
      ['updated_at', 'bigint'],
      // The same JSON text on both sides (src/storage/minerColumns.ts).
      ['tags', 'jsonb'],
      ['credentials', 'text'],
    ],
    key: ['id'],
  },
  {
    name: 'metrics',
    columns: [['series', 'integer'], ['ts', 'bigint'], ...METRIC_COLUMNS, ['backfilled', 'boolean']],
    key: ['ts', 'series'],
  },
  {
    name: 'metrics_minute',
    columns: [['series', 'integer'], ['bucket', 'bigint'], ['samples', 'integer'], ...ROLLUP_COLUMNS],
    key: ['series', 'bucket'],
  },
  {
    name: 'metrics_hour',
    columns: [['series', 'integer'], ['bucket', 'bigint'], ['samples', 'integer'], ...ROLLUP_COLUMNS],
    key: ['series', 'bucket'],
  },
  {
    name: 'events',
    columns: [
      ['id', 'bigint'],
      ['miner_id', 'text'],
      ['type', 'text'],
      ['severity', 'text'],
      ['message', 'text'],
      ['ts', 'bigint'],
      ['data', 'jsonb'],
    ],
    key: ['id'],
  },
  {
    name: 'alerts',
    columns: [
      ['id', 'bigint'],
      ['key', 'text'],
      ['miner_id', 'text'],
      ['condition', 'text'],
      ['severity', 'text'],
      ['message', 'text'],
      ['opened_at', 'bigint'],
      ['last_notified_at', 'bigint'],
      ['notifications', 'integer'],
      ['cleared_at', 'bigint'],
    ],
    key: ['id'],
  },
  {
    name: 'best_difficulty',
    columns: [
      ['miner_id', 'text'],
      ['best', 'double precision'],
      ['achieved_at', 'bigint'],
    ],
    key: ['miner_id'],
  },
  {
    name: 'breaker_snapshots',
    columns: [
      ['name', 'text'],
      ['snapshot', 'jsonb'],
      ['saved_at', 'bigint'],
    ],
    key: ['name'],
  },
];

/** Tables whose `series` column is the source's key and must become the target's. */
const BY_SERIES = new Set(['metrics', 'metrics_minute', 'metrics_hour']);
const BOOLEAN = new Set(['enabled', 'backfilled']);

function insertSql(spec: TableSpec): string {
  const names = spec.columns.map(([name]) => name);
  const arrays = spec.columns.map(([, type], i) => `$${i + 1}::${type}[]`);
  return `INSERT INTO ${spec.name} (${names.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')}) ON CONFLICT DO NOTHING`;
}

/** The keyset condition "after `last`" for the key columns, with `?` placeholders. */
function afterSql(key: readonly string[]): string {
  return key.length === 1 ? `${key[0]} > ?` : `(${key.join(', ')}) > (${key.map(() => '?').join(', ')})`;
}

async function progressOf(
  client: SqlQueryable,
  table: string,
): Promise<{ last: unknown[] | null; copied: number }> {
  const { rows } = await client.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [
    `copied_from_sqlite:${table}`,
  ]);
  const value = rows[0]?.value;
  if (value === undefined) return { last: null, copied: 0 };
  return JSON.parse(value) as { last: unknown[]; copied: number };
}

/** Maps the source's series keys to the target's (creating them), by miner id. */
async function seriesMap(source: Database, target: SqlClient): Promise<Map<number, number>> {
  const rows = source.prepare('SELECT key, miner_id FROM metric_series').all() as {
    key: number;
    miner_id: string;
  }[];
  const map = new Map<number, number>();
  if (rows.length === 0) return map;
  const ids = rows.map((r) => r.miner_id);
  await target.query(
    'INSERT INTO metric_series (miner_id) SELECT unnest($1::text[]) ON CONFLICT (miner_id) DO NOTHING',
    [ids],
  );
  const { rows: keys } = await target.query<{ key: number; miner_id: string }>(
    'SELECT key, miner_id FROM metric_series WHERE miner_id = ANY($1::text[])',
    [ids],
  );
  const byId = new Map(keys.map((k) => [k.miner_id, k.key]));
  for (const r of rows) map.set(r.key, byId.get(r.miner_id) as number);
  return map;
}

/** Copies what is left to copy; returns the row counts of both sides, table by table. */
export async function copyFromSqlite(
  source: Database,
  target: SqlClient,
  options: CopyOptions = {},
): Promise<TableCount[]> {
  const chunk = options.chunk ?? 20_000;
  const series = await seriesMap(source, target);
  for (const spec of TABLES) {
    const total = source.prepare(`SELECT count(*) FROM ${spec.name}`).pluck().get() as number;
    let { last, copied } = await progressOf(target, spec.name);
    options.onProgress?.({ table: spec.name, copied, total });
    const names = spec.columns.map(([name]) => name);
    const first = source.prepare(
      `SELECT ${names.join(', ')} FROM ${spec.name} ORDER BY ${spec.key.join(', ')} LIMIT ?`,
    );
    const next = source.prepare(
      `SELECT ${names.join(', ')} FROM ${spec.name} WHERE ${afterSql(spec.key)} ORDER BY ${spec.key.join(', ')} LIMIT ?`,
    );
    const sql = insertSql(spec);
    for (;;) {
      options.signal?.throwIfAborted();
      const rows = (last === null ? first.all(chunk) : next.all(...last, chunk)) as Row[];
      if (rows.length === 0) break;
      const columns = names.map((name) =>
        rows.map((row) => {
          const value = row[name];
          if (name === 'series' && BY_SERIES.has(spec.name)) return series.get(value as number) ?? null;
          return BOOLEAN.has(name) ? bool(value) : value;
        }),
      );
      const end = rows.at(-1) as Row;
      last = spec.key.map((k) => end[k]);
      copied += rows.length;
      const marker = JSON.stringify({ last, copied });
      await target.transaction(async (tx) => {
        await tx.query(sql, columns);
        await tx.query(
          'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          [`copied_from_sqlite:${spec.name}`, marker],
        );
      });
      options.onProgress?.({ table: spec.name, copied, total });
      if (rows.length < chunk) break;
    }
  }
  // Ids were copied as they were: the sequences must continue after them.
  for (const table of ['events', 'alerts']) {
    await target.query(
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`,
    );
  }
  const counts: TableCount[] = [];
  for (const spec of TABLES) {
    const sourceCount = source.prepare(`SELECT count(*) FROM ${spec.name}`).pluck().get() as number;
    const { rows } = await target.query<{ n: number }>(`SELECT count(*) AS n FROM ${spec.name}`);
    counts.push({ table: spec.name, source: sourceCount, target: rows[0]?.n ?? 0 });
  }
  return counts;
}
