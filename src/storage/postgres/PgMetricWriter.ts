/**
 * The PostgreSQL write path: one batch is ONE statement. The samples travel as one array per
 * column (unnest), the raw insert skips (series, ts) pairs already stored, and the minute and
 * hour rollups are merged from exactly the rows inserted, in the same statement and transaction.
 * So a batch written twice (a retry after an ambiguous failure) counts nothing twice, and a
 * batch costs one round trip however many miners it holds.
 */
import { FIELD_COLUMNS, HOUR_MS, MINUTE_MS } from '../columns.js';
import { METRIC_FIELDS, type MetricRecord } from '../Storage.js';
import type { SqlClient } from './SqlClient.js';

const COLUMNS = METRIC_FIELDS.map((field) => FIELD_COLUMNS[field]);

function rollupSql(table: string, bucketMs: number): string {
  const aggregates = COLUMNS.map((c) => `count(${c}), coalesce(sum(${c}), 0), min(${c}), max(${c})`);
  const names = COLUMNS.flatMap((c) => [`${c}_n`, `${c}_sum`, `${c}_min`, `${c}_max`]);
  // least/greatest ignore NULLs, so a side with no value keeps the other's.
  const updates = COLUMNS.flatMap((c) => [
    `${c}_n = ${table}.${c}_n + excluded.${c}_n`,
    `${c}_sum = ${table}.${c}_sum + excluded.${c}_sum`,
    `${c}_min = least(${table}.${c}_min, excluded.${c}_min)`,
    `${c}_max = greatest(${table}.${c}_max, excluded.${c}_max)`,
  ]);
  return `INSERT INTO ${table} (series, bucket, samples, ${names.join(', ')})
      SELECT series, ts - ts % ${bucketMs}, count(*), ${aggregates.join(', ')}
      FROM inserted GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (series, bucket) DO UPDATE SET samples = ${table}.samples + excluded.samples,
        ${updates.join(', ')}`;
}

const INSERT_SQL = `WITH inserted AS (
    INSERT INTO metrics (series, ts, ${COLUMNS.join(', ')}, backfilled)
    SELECT * FROM unnest($1::integer[], $2::bigint[], ${COLUMNS.map((_, i) => `$${i + 3}::double precision[]`).join(', ')}, $${COLUMNS.length + 3}::boolean[])
    ON CONFLICT DO NOTHING
    RETURNING *
  ), minute AS (${rollupSql('metrics_minute', MINUTE_MS)}
  ), hour AS (${rollupSql('metrics_hour', HOUR_MS)}
  )
  SELECT count(*) AS inserted FROM inserted`;

export class PgMetricWriter {
  readonly #client: SqlClient;
  readonly #keys = new Map<string, number>();

  constructor(client: SqlClient) {
    this.#client = client;
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

  /** Writes the batch atomically; returns the rows inserted (duplicates excluded). */
  async write(batch: readonly MetricRecord[]): Promise<number> {
    if (batch.length === 0) return 0;
    await this.#keysOf(batch);
    const n = batch.length;
    const series = new Array<number>(n);
    const ts = new Array<number>(n);
    const backfilled = new Array<boolean>(n);
    const values = COLUMNS.map(() => new Array<number | null>(n));
    for (let i = 0; i < n; i += 1) {
      const r = batch[i] as MetricRecord;
      series[i] = this.#keys.get(r.minerId) as number;
      ts[i] = r.timestamp;
      backfilled[i] = r.backfilled;
      for (let f = 0; f < METRIC_FIELDS.length; f += 1) {
        (values[f] as (number | null)[])[i] = r[METRIC_FIELDS[f] as (typeof METRIC_FIELDS)[number]];
      }
    }
    const { rows } = await this.#client.query<{ inserted: number }>(INSERT_SQL, [
      series,
      ts,
      ...values,
      backfilled,
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
