/**
 * The PostgreSQL write path. A batch is split by miner into `parts` statements that run at once
 * on as many connections (so a two-core server works on two while this process prepares the
 * next). Each statement carries its samples as one array per column (unnest; the numbers in
 * binary), inserts them skipping (series, ts) pairs already stored, and merges the minute and
 * hour rollups from exactly the rows it inserted, all in its own transaction.
 *
 * No sample is written twice, and none is counted twice in the rollups, whatever fails: a part
 * whose COMMIT outcome is unknown (the connection dropped before the answer) is simply written
 * again with the whole batch on retry, and its rows, already there, insert nothing. The parts
 * hold different miners, so they never wait on each other's rows.
 */
import { FIELD_COLUMNS, HOUR_MS, MINUTE_MS } from '../columns.js';
import { METRIC_FIELDS, type MetricRecord } from '../Storage.js';
import type { SqlClient } from './SqlClient.js';

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

const INSERT_SQL = `WITH inserted AS (
    INSERT INTO metrics (series, ts, ${COLUMNS.join(', ')}, backfilled)
    SELECT * FROM unnest($1::integer[], $2::bigint[], ${COLUMNS.map((_, i) => `$${i + 3}::double precision[]`).join(', ')}, $${COLUMNS.length + 3}::boolean[])
    ON CONFLICT DO NOTHING
    RETURNING *
  ), minutes AS (
    SELECT series, ts - ts % ${MINUTE_MS} AS bucket, count(*) AS samples, ${perMinute.join(', ')}
    FROM inserted GROUP BY 1, 2
  ), minute AS (${mergeInto('metrics_minute', 'SELECT * FROM minutes ORDER BY 1, 2')}
  ), hour AS (${mergeInto(
    'metrics_hour',
    `SELECT series, bucket - bucket % ${HOUR_MS}, sum(samples), ${perHour.join(', ')}
      FROM minutes GROUP BY 1, 2 ORDER BY 1, 2`,
  )}
  )
  SELECT count(*) AS inserted FROM inserted`;

/**
 * `{1,2,3}`: the text of an integer or boolean array parameter (no quoting needed, one join).
 */
function arrayLiteral(values: readonly (number | boolean)[]): string {
  return `{${values.join(',')}}`;
}

const FLOAT8_OID = 701;

/**
 * A float8[] parameter in PostgreSQL's binary array format: `pg` sends a Buffer as binary, and
 * the server then copies eight bytes per value instead of parsing decimal text (the costliest
 * part of reading the batch, for it and for this process writing the text).
 */
function float8Array(values: readonly (number | null)[]): Buffer {
  const buffer = Buffer.allocUnsafe(20 + 12 * values.length);
  buffer.writeInt32BE(1, 0); // dimensions
  buffer.writeInt32BE(values.includes(null) ? 1 : 0, 4); // has nulls
  buffer.writeInt32BE(FLOAT8_OID, 8);
  buffer.writeInt32BE(values.length, 12);
  buffer.writeInt32BE(1, 16); // lower bound
  let at = 20;
  for (const value of values) {
    if (value === null) {
      buffer.writeInt32BE(-1, at);
      at += 4;
    } else {
      buffer.writeInt32BE(8, at);
      buffer.writeDoubleBE(value, at + 4);
      at += 12;
    }
  }
  return buffer.subarray(0, at);
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

  /** One statement, one transaction: the rows of `part` not yet stored, and their rollups. */
  async #insert(part: readonly MetricRecord[]): Promise<number> {
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
