/**
 * Chart queries. Buckets are grouped in SQL over the table the plan picked, so a 30-day chart
 * reads about 720 hour rows instead of 259,200 raw ones; each bucket merges stored
 * (count, sum, min, max) exactly, and its average is sum / count. better-sqlite3 binds every JS
 * number as REAL, so bucket arithmetic casts its parameters to INTEGER to divide exactly.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { BucketPlan } from './bucketPlan.js';
import { FIELD_COLUMNS } from './columns.js';
import {
  type Aggregate,
  type FleetPoint,
  METRIC_FIELDS,
  type MetricField,
  type MetricRecord,
  type Series,
  type SeriesPoint,
} from './Storage.js';

type Source = Series['source'];

const TABLE: Readonly<Record<Source, string>> = {
  raw: 'metrics',
  minute: 'metrics_minute',
  hour: 'metrics_hour',
};
const TIME: Readonly<Record<Source, string>> = { raw: 'ts', minute: 'bucket', hour: 'bucket' };

function seriesSql(source: Source): string {
  const time = TIME[source];
  const columns = METRIC_FIELDS.map((field) => FIELD_COLUMNS[field]);
  const aggregates =
    source === 'raw'
      ? columns.map((c) => `avg(${c}), min(${c}), max(${c})`)
      : columns.map((c) => `total(${c}_sum) / nullif(sum(${c}_n), 0), min(${c}_min), max(${c}_max)`);
  return `SELECT (${time} - CAST(@origin AS INTEGER)) / CAST(@bucket AS INTEGER) AS idx, ${source === 'raw' ? 'count(*)' : 'sum(samples)'}, ${aggregates.join(', ')}
    FROM ${TABLE[source]} WHERE series = @series AND ${time} >= @origin AND ${time} <= @to
    GROUP BY idx ORDER BY idx`;
}

function fleetSql(source: Source): string {
  const time = TIME[source];
  const avg = (field: MetricField): string => {
    const c = FIELD_COLUMNS[field];
    return source === 'raw' ? `avg(${c})` : `total(${c}_sum) / nullif(sum(${c}_n), 0)`;
  };
  // Each miner's average in the bucket first, then the sum over miners: a miner polled twice
  // as often must not count twice.
  return `SELECT idx, total(h), total(e), total(p), count(*) FROM (
      SELECT series, (${time} - CAST(@origin AS INTEGER)) / CAST(@bucket AS INTEGER) AS idx,
        ${avg('hashrateGhs')} AS h, ${avg('expectedHashrateGhs')} AS e, ${avg('powerW')} AS p
      FROM ${TABLE[source]}
      WHERE ${source === 'raw' ? '' : 'series IN (SELECT key FROM metric_series) AND '}${time} >= @origin AND ${time} <= @to
      GROUP BY series, idx)
    GROUP BY idx ORDER BY idx`;
}

/** A bucket's average can land a rounding error outside [min, max]; the law min <= avg <= max wins. */
function aggregate(avg: number | null, min: number | null, max: number | null): Aggregate {
  if (avg === null || min === null || max === null) return NO_VALUE;
  return { avg: Math.min(max, Math.max(min, avg)), min, max };
}

const NO_VALUE: Aggregate = Object.freeze({ avg: null, min: null, max: null });

export class SeriesReader {
  readonly #db: Database;
  readonly #series = new Map<Source, Statement>();
  readonly #fleet = new Map<Source, Statement>();
  #latest: Statement | undefined;

  constructor(db: Database) {
    this.#db = db;
  }

  #statement(cache: Map<Source, Statement>, source: Source, sql: (source: Source) => string): Statement {
    let statement = cache.get(source);
    if (statement === undefined) {
      statement = this.#db.prepare(sql(source)).raw();
      cache.set(source, statement);
    }
    return statement;
  }

  points(series: number, plan: BucketPlan, to: number): SeriesPoint[] {
    const rows = this.#statement(this.#series, plan.source, seriesSql).all({
      series,
      origin: plan.origin,
      bucket: plan.bucketMs,
      to,
    }) as (number | null)[][];
    return rows.map((row) => {
      const values = {} as Record<MetricField, Aggregate>;
      for (let i = 0; i < METRIC_FIELDS.length; i += 1) {
        const at = 2 + i * 3;
        values[METRIC_FIELDS[i] as MetricField] = aggregate(
          row[at] as number | null,
          row[at + 1] as number | null,
          row[at + 2] as number | null,
        );
      }
      return { timestamp: plan.origin + (row[0] as number) * plan.bucketMs, count: row[1] as number, values };
    });
  }

  latest(series: number, minerId: string): MetricRecord | null {
    // The minute rollup (keyed by series) finds the last minute with data at once; the raw
    // table (keyed by time) is then read within that minute only.
    this.#latest ??= this.#db.prepare(`SELECT * FROM metrics
      WHERE ts >= (SELECT max(bucket) FROM metrics_minute WHERE series = @series)
        AND ts < (SELECT max(bucket) FROM metrics_minute WHERE series = @series) + 60000
        AND series = @series
      ORDER BY ts DESC LIMIT 1`);
    const row = this.#latest.get({ series }) as Record<string, number | null> | undefined;
    if (row === undefined) return null;
    const record: Record<string, unknown> = { minerId, timestamp: row.ts, backfilled: row.backfilled === 1 };
    for (const field of METRIC_FIELDS) record[field] = row[FIELD_COLUMNS[field]] ?? null;
    return record as unknown as MetricRecord;
  }

  fleet(plan: BucketPlan, to: number): FleetPoint[] {
    const rows = this.#statement(this.#fleet, plan.source, fleetSql).all({
      origin: plan.origin,
      bucket: plan.bucketMs,
      to,
    }) as number[][];
    return rows.map((row) => ({
      timestamp: plan.origin + (row[0] as number) * plan.bucketMs,
      hashrateGhs: row[1] as number,
      expectedHashrateGhs: row[2] as number,
      powerW: row[3] as number,
      miners: row[4] as number,
    }));
  }
}
