/**
 * The PostgreSQL write path. A batch is split by miner into `parts` transactions that run at once
 * on as many connections (so a two-core server works on two while this process prepares the
 * next). Each part first tries the fast way: its samples as one binary COPY straight into
 * `metrics`, then its minute rollups, summed here (RollupAccumulator, as on SQLite), copied into
 * a temporary table and merged from there into `metrics_minute` and `metrics_hour` by one
 * statement, all in the same transaction.
 * COPY has no ON CONFLICT: if any sample of the part is already stored (or is in it twice), the
 * COPY fails with a unique violation, the transaction rolls back whole, and the part is written
 * the careful way instead: one statement that inserts the samples as arrays (unnest, numbers in
 * binary) skipping (series, ts) pairs already stored, and merges the rollups from exactly the
 * rows it inserted. PGlite, which has no COPY, always writes the careful way.
 *
 * No sample is written twice, and none is counted twice in the rollups, whatever fails: the fast
 * way commits rollups only with a COPY that stored every sample of the part (so the sums here
 * count exactly the rows inserted), and a part whose COMMIT outcome is unknown (the connection
 * dropped before the answer) is written again with the whole batch on retry, where its rows,
 * already there, make the COPY fail and the careful statement insert nothing. The parts hold
 * different miners, so they never wait on each other's rows.
 */
import { FIELD_COLUMNS, HOUR_MS, MINUTE_MS } from '../columns.js';
import { RollupAccumulator } from '../RollupAccumulator.js';
import { METRIC_FIELDS, type MetricRecord } from '../Storage.js';
import { float8Array, metricsCopyData, rollupCopyData } from './pgBinary.js';
import type { SqlClient, SqlQueryable } from './SqlClient.js';

const COLUMNS = METRIC_FIELDS.map((field) => FIELD_COLUMNS[field]);
const ROLLUP_NAMES = COLUMNS.flatMap((c) => [`${c}_n`, `${c}_sum`, `${c}_min`, `${c}_max`]);

/** Adds the aggregates that `select` yields into `table` (least/greatest ignore NULLs: a side with no value keeps the other's). */
function mergeInto(table: string, select: string): string {
  const updates = COLUMNS.flatMap((c) => [
    `${c}_n = ${table}.${c}_n + excluded.${c}_n`,
    `${c}_sum = ${table}.${c}_sum + excluded.${c}_sum`,
    `${c}_min = least(${table}.${c}_min, excluded.${c}_min)`,
    `${c}_max = greatest(${table}.${c}_max, excluded.${c}_max)`,
  ]);
  return `INSERT INTO ${table} (series, bucket, samples, ${ROLLUP_NAMES.join(', ')})
      ${select}
      ON CONFLICT (series, bucket) DO UPDATE SET samples = ${table}.samples + excluded.samples,
        ${updates.join(', ')}`;
}

// The minute aggregates of the inserted rows are computed once; the hour rollup is merged from
// them (sums of sums, min of mins), not from the raw rows again.
const perMinute = COLUMNS.map(
  (c) =>
    `count(${c}) AS ${c}_n, coalesce(sum(${c}), 0) AS ${c}_sum, min(${c}) AS ${c}_min, max(${c}) AS ${c}_max`,
);
const perHour = COLUMNS.map((c) => `sum(${c}_n), sum(${c}_sum), min(${c}_min), max(${c}_max)`);

/** The CTEs that merge a `minutes` CTE (series, bucket, samples, ROLLUP_NAMES) into both rollups. */
const MERGE_ROLLUPS = `minute AS (${mergeInto('metrics_minute', 'SELECT * FROM minutes ORDER BY 1, 2')}
  ), hour AS (${mergeInto(
    'metrics_hour',
    `SELECT series, bucket - bucket % ${HOUR_MS}, sum(samples), ${perHour.join(', ')}
      FROM minutes GROUP BY 1, 2 ORDER BY 1, 2`,
  )}
  )`;

/** The careful way: inserts the rows not yet stored and merges the rollups from those only. */
const INSERT_SQL = `WITH inserted AS (
    INSERT INTO metrics (series, ts, ${COLUMNS.join(', ')}, backfilled)
    SELECT * FROM unnest($1::integer[], $2::bigint[], ${COLUMNS.map((_, i) => `$${i + 3}::double precision[]`).join(', ')}, $${COLUMNS.length + 3}::boolean[])
    ON CONFLICT DO NOTHING
    RETURNING *
  ), minutes AS (
    SELECT series, ts - ts % ${MINUTE_MS} AS bucket, count(*) AS samples, ${perMinute.join(', ')}
    FROM inserted GROUP BY 1, 2
  ), ${MERGE_ROLLUPS}
  SELECT count(*) AS inserted FROM inserted`;

/** The fast way, first half: every sample of the part, failing if one is already stored. */
const COPY_SQL = `COPY metrics (series, ts, ${COLUMNS.join(', ')}, backfilled) FROM STDIN (FORMAT binary)`;

/**
 * The fast way, second half: the minute aggregates summed here go by COPY (far cheaper for the
 * server than as array parameters) into a temporary table of the connection, emptied at every
 * commit, and from there into both rollups.
 */
const STAGE_SQL = `CREATE TEMP TABLE IF NOT EXISTS minute_rollups_batch
  (LIKE metrics_minute INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`;
const STAGE_COPY_SQL = `COPY minute_rollups_batch (series, bucket, samples, ${ROLLUP_NAMES.join(', ')}) FROM STDIN (FORMAT binary)`;
const MERGE_STAGED_SQL = `WITH minutes AS (
    SELECT series, bucket, samples, ${ROLLUP_NAMES.join(', ')} FROM minute_rollups_batch
  ), ${MERGE_ROLLUPS}
  SELECT 1`;

const UNIQUE_VIOLATION = '23505';

/**
 * `{1,2,3}`: the text of an integer or boolean array parameter (no quoting needed, one join).
 */
function arrayLiteral(values: readonly (number | boolean)[]): string {
  return `{${values.join(',')}}`;
}

/**
 * The records ordered by (series, ts), the primary key's order: consecutive inserts then land on
 * the same index page, which took about 40 % off the server's CPU for a COPY of a batch that
 * arrives tick by tick (every miner, then every miner again). Records of one miner usually
 * arrive in time order, which the sort of each miner's list then merely confirms.
 */
function inKeyOrder(records: readonly MetricRecord[], keys: ReadonlyMap<string, number>): MetricRecord[] {
  const bySeries = new Map<number, MetricRecord[]>();
  for (const r of records) {
    const key = keys.get(r.minerId) as number;
    const list = bySeries.get(key);
    if (list === undefined) bySeries.set(key, [r]);
    else list.push(r);
  }
  const ordered: MetricRecord[] = [];
  for (const key of [...bySeries.keys()].sort((a, b) => a - b)) {
    const list = bySeries.get(key) as MetricRecord[];
    list.sort((a, b) => a.timestamp - b.timestamp);
    for (const r of list) ordered.push(r);
  }
  return ordered;
}

export class PgMetricWriter {
  readonly #client: SqlClient;
  readonly #parts: number;
  readonly #keys = new Map<string, number>();
  /** Rows committed by parts of a write that failed as a whole; reported with the next write that succeeds. */
  #unreported = 0;

  /** @param parts statements one batch is split into, run at once (at most the pool's connections) */
  constructor(client: SqlClient, parts: number) {
    this.#client = client;
    this.#parts = parts;
  }

  /** The series key of a miner id, or undefined when nothing was ever stored for it. */
  async seriesKey(minerId: string): Promise<number | undefined> {
    const cached = this.#keys.get(minerId);
    if (cached !== undefined) return cached;
    const { rows } = await this.#client.query<{ key: number }>(
      'SELECT key FROM metric_series WHERE miner_id = $1',
      [minerId],
    );
    const key = rows[0]?.key;
    if (key !== undefined) this.#keys.set(minerId, key);
    return key;
  }

  /**
   * Keys for every miner of the batch, creating the missing ones (outside the batch's
   * transaction: a key without rows is harmless, and another instance may create it at once).
   */
  async #keysOf(batch: readonly MetricRecord[]): Promise<void> {
    const missing = new Set<string>();
    for (const r of batch) if (!this.#keys.has(r.minerId)) missing.add(r.minerId);
    if (missing.size === 0) return;
    const ids = [...missing];
    await this.#client.query(
      'INSERT INTO metric_series (miner_id) SELECT unnest($1::text[]) ON CONFLICT (miner_id) DO NOTHING',
      [ids],
    );
    const { rows } = await this.#client.query<{ key: number; miner_id: string }>(
      'SELECT key, miner_id FROM metric_series WHERE miner_id = ANY($1::text[])',
      [ids],
    );
    for (const row of rows) this.#keys.set(row.miner_id, row.key);
  }

  /**
   * Writes the batch; returns the rows inserted (duplicates excluded). When it rejects, some
   * parts may be committed: writing the same batch again completes it without duplicates.
   */
  async write(batch: readonly MetricRecord[]): Promise<number> {
    if (batch.length === 0) return 0;
    await this.#keysOf(batch);
    const parts = Array.from({ length: this.#parts }, () => [] as MetricRecord[]);
    for (const r of batch)
      (parts[(this.#keys.get(r.minerId) as number) % this.#parts] as MetricRecord[]).push(r);
    const settled = await Promise.allSettled(
      parts.filter((part) => part.length > 0).map((part) => this.#insert(part)),
    );
    let inserted = 0;
    for (const outcome of settled) if (outcome.status === 'fulfilled') inserted += outcome.value;
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) {
      this.#unreported += inserted;
      throw failed.reason;
    }
    inserted += this.#unreported;
    this.#unreported = 0;
    return inserted;
  }

  /** One transaction: the rows of `part` not yet stored, and their rollups; resolves with the rows inserted. */
  async #insert(arrived: readonly MetricRecord[]): Promise<number> {
    const part = inKeyOrder(arrived, this.#keys);
    try {
      const copied = await this.#client.transaction((tx) => this.#copy(tx, part));
      if (copied !== undefined) return copied;
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== UNIQUE_VIOLATION) throw error;
    }
    return this.#insertSkippingStored(part);
  }

  /** The fast way (see the header); undefined, having written nothing, on a connection without COPY. */
  async #copy(tx: SqlQueryable, part: readonly MetricRecord[]): Promise<number | undefined> {
    if (tx.copyFrom === undefined) return undefined;
    const keys = this.#keys;
    const seriesOf = (r: MetricRecord): number => keys.get(r.minerId) as number;
    const copied = await tx.copyFrom(COPY_SQL, metricsCopyData(part, seriesOf));
    const minutes = new RollupAccumulator(MINUTE_MS);
    for (const r of part) minutes.add(seriesOf(r), r);
    await tx.query(STAGE_SQL);
    await tx.copyFrom(STAGE_COPY_SQL, rollupCopyData(minutes));
    await tx.query(MERGE_STAGED_SQL);
    return copied;
  }

  /** The careful way: one statement that skips rows already stored and rolls up only those it inserted. */
  async #insertSkippingStored(part: readonly MetricRecord[]): Promise<number> {
    const n = part.length;
    const series = new Array<number>(n);
    const ts = new Array<number>(n);
    const backfilled = new Array<boolean>(n);
    const values = COLUMNS.map(() => new Array<number | null>(n));
    for (let i = 0; i < n; i += 1) {
      const r = part[i] as MetricRecord;
      series[i] = this.#keys.get(r.minerId) as number;
      ts[i] = r.timestamp;
      backfilled[i] = r.backfilled;
      for (let f = 0; f < METRIC_FIELDS.length; f += 1) {
        (values[f] as (number | null)[])[i] = r[METRIC_FIELDS[f] as (typeof METRIC_FIELDS)[number]];
      }
    }
    const { rows } = await this.#client.query<{ inserted: number }>(INSERT_SQL, [
      arrayLiteral(series),
      arrayLiteral(ts),
      ...values.map(float8Array),
      arrayLiteral(backfilled),
    ]);
    return rows[0]?.inserted ?? 0;
  }

  /** Deletes every stored sample and rollup of a miner (its series key included). */
  async dropSeries(minerId: string): Promise<void> {
    const key = await this.seriesKey(minerId);
    if (key === undefined) return;
    await this.#client.transaction(async (tx) => {
      for (const table of ['metrics', 'metrics_minute', 'metrics_hour']) {
        await tx.query(`DELETE FROM ${table} WHERE series = $1`, [key]);
      }
      await tx.query('DELETE FROM metric_series WHERE key = $1', [key]);
    });
    this.#keys.delete(minerId);
  }
}
