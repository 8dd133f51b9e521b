/**
 * Chart queries on PostgreSQL: the same plan (bucketPlan.ts) and the same exact merges of stored
 * (count, sum, min, max) as on SQLite, grouped in SQL over the table the plan picked.
 */
import type { BucketPlan } from '../bucketPlan.js';
import { FIELD_COLUMNS } from '../columns.js';
import {
  type Aggregate,
  type FleetPoint,
  METRIC_FIELDS,
  type MetricField,
  type MetricRecord,
  type Series,
  type SeriesPoint,
} from '../Storage.js';
import type { SqlClient } from './SqlClient.js';

type Source = Series['source'];

const TABLE: Readonly<Record<Source, string>> = {
  raw: 'metrics',
  minute: 'metrics_minute',
  hour: 'metrics_hour',
};
const TIME: Readonly<Record<Source, string>> = { raw: 'ts', minute: 'bucket', hour: 'bucket' };
const COLUMNS = METRIC_FIELDS.map((field) => FIELD_COLUMNS[field]);

function average(source: Source, c: string): string {
  return source === 'raw' ? `avg(${c})` : `sum(${c}_sum) / nullif(sum(${c}_n), 0)`;
}

function seriesSql(source: Source): string {
  const time = TIME[source];
  const aggregates = COLUMNS.map((c) =>
    source === 'raw'
      ? `avg(${c}) AS ${c}_avg, min(${c}) AS ${c}_min, max(${c}) AS ${c}_max`
      : `${average(source, c)} AS ${c}_avg, min(${c}_min) AS ${c}_min, max(${c}_max) AS ${c}_max`,
  );
  return `SELECT (${time} - $2::bigint) / $3::bigint AS idx, ${source === 'raw' ? 'count(*)' : 'sum(samples)'} AS count,
      ${aggregates.join(', ')}
    FROM ${TABLE[source]} WHERE series = $1 AND ${time} >= $2 AND ${time} <= $4
    GROUP BY idx ORDER BY idx`;
}

function fleetSql(source: Source): string {
  const time = TIME[source];
  const avg = (field: MetricField): string => average(source, FIELD_COLUMNS[field]);
  // Each miner's average in the bucket first, then the sum over miners: a miner polled twice
  // as often must not count twice.
  return `SELECT idx, coalesce(sum(h), 0) AS h, coalesce(sum(e), 0) AS e, coalesce(sum(p), 0) AS p, count(*) AS miners FROM (
      SELECT series, (${time} - $1::bigint) / $2::bigint AS idx,
        ${avg('hashrateGhs')} AS h, ${avg('expectedHashrateGhs')} AS e, ${avg('powerW')} AS p
      FROM ${TABLE[source]}
      WHERE ${source === 'raw' ? '' : 'series IN (SELECT key FROM metric_series) AND '}${time} >= $1 AND ${time} <= $3
      GROUP BY series, idx) per_miner
    GROUP BY idx ORDER BY idx`;
}

/** A bucket's average can land a rounding error outside [min, max]; the law min <= avg <= max wins. */
function aggregate(avg: number | null, min: number | null, max: number | null): Aggregate {
  if (avg === null || min === null || max === null) return NO_VALUE;
  return { avg: Math.min(max, Math.max(min, avg)), min, max };
}

const NO_VALUE: Aggregate = Object.freeze({ avg: null, min: null, max: null });

type Row = Record<string, number | null>;

export class PgSeriesReader {
  readonly #client: SqlClient;

  constructor(client: SqlClient) {
    this.#client = client;
  }

  async points(series: number, plan: BucketPlan, to: number): Promise<SeriesPoint[]> {
    const { rows } = await this.#client.query<Row>(seriesSql(plan.source), [
      series,
      plan.origin,
      plan.bucketMs,
      to,
    ]);
    return rows.map((row) => {
      const values = {} as Record<MetricField, Aggregate>;
      for (let i = 0; i < METRIC_FIELDS.length; i += 1) {
        const c = COLUMNS[i] as string;
        values[METRIC_FIELDS[i] as MetricField] = aggregate(
          row[`${c}_avg`] ?? null,
          row[`${c}_min`] ?? null,
          row[`${c}_max`] ?? null,
        );
      }
      return {
        timestamp: plan.origin + (row.idx as number) * plan.bucketMs,
        count: row.count as number,
        values,
      };
    });
  }

  async latest(series: number, minerId: string): Promise<MetricRecord | null> {
    const { rows } = await this.#client.query<Record<string, unknown>>(
      'SELECT * FROM metrics WHERE series = $1 ORDER BY ts DESC LIMIT 1',
      [series],
    );
    const row = rows[0];
    if (row === undefined) return null;
    const record: Record<string, unknown> = {
      minerId,
      timestamp: row.ts,
      backfilled: row.backfilled === true,
    };
    for (const field of METRIC_FIELDS) record[field] = row[FIELD_COLUMNS[field]] ?? null;
    return record as unknown as MetricRecord;
  }

  async fleet(plan: BucketPlan, to: number): Promise<FleetPoint[]> {
    const { rows } = await this.#client.query<Row>(fleetSql(plan.source), [plan.origin, plan.bucketMs, to]);
    return rows.map((row) => ({
      timestamp: plan.origin + (row.idx as number) * plan.bucketMs,
      hashrateGhs: row.h as number,
      expectedHashrateGhs: row.e as number,
      powerW: row.p as number,
      miners: row.miners as number,
    }));
  }
}
