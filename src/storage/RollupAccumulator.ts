/**
 * Per-batch rollup arithmetic: the samples of one write transaction are summed in memory per
 * (series, bucket) first, so each rollup row is upserted once per batch instead of once per
 * sample. That keeps write-time rollups cheap enough for 100k samples/s.
 */
import { FIELD_COLUMNS } from './columns.js';
import { METRIC_FIELDS, type MetricRecord } from './Storage.js';

const FIELDS = METRIC_FIELDS.length;

/** count, sum, min, max per field, then the sample count: the rollup row's shape. */
class Bucket {
  samples = 0;
  readonly values = new Float64Array(FIELDS * 4);

  constructor() {
    for (let i = 0; i < FIELDS; i += 1) {
      this.values[i * 4 + 2] = Number.POSITIVE_INFINITY;
      this.values[i * 4 + 3] = Number.NEGATIVE_INFINITY;
    }
  }
}

export class RollupAccumulator {
  readonly resolutionMs: number;
  readonly #buckets = new Map<number, Map<number, Bucket>>();
  #size = 0;

  constructor(resolutionMs: number) {
    this.resolutionMs = resolutionMs;
  }

  add(series: number, record: MetricRecord): void {
    const start = record.timestamp - (record.timestamp % this.resolutionMs);
    let perSeries = this.#buckets.get(series);
    if (perSeries === undefined) {
      perSeries = new Map();
      this.#buckets.set(series, perSeries);
    }
    let bucket = perSeries.get(start);
    if (bucket === undefined) {
      bucket = new Bucket();
      perSeries.set(start, bucket);
      this.#size += 1;
    }
    bucket.samples += 1;
    const values = bucket.values;
    for (let i = 0; i < FIELDS; i += 1) {
      const value = record[METRIC_FIELDS[i] as (typeof METRIC_FIELDS)[number]];
      if (value === null) continue;
      const at = i * 4;
      values[at] = (values[at] as number) + 1;
      values[at + 1] = (values[at + 1] as number) + value;
      if (value < (values[at + 2] as number)) values[at + 2] = value;
      if (value > (values[at + 3] as number)) values[at + 3] = value;
    }
  }

  /** Buckets held (rows that `drain` writes). */
  get size(): number {
    return this.#size;
  }

  /** Calls `write` with the upsert parameters of every bucket, then forgets them. */
  drain(write: (params: (number | null)[]) => void): void {
    const params: (number | null)[] = new Array(3 + FIELDS * 4);
    for (const [series, perSeries] of this.#buckets) {
      for (const [start, bucket] of perSeries) {
        params[0] = series;
        params[1] = start;
        params[2] = bucket.samples;
        const values = bucket.values;
        for (let i = 0; i < FIELDS; i += 1) {
          const n = values[i * 4] as number;
          params[3 + i * 4] = n;
          params[4 + i * 4] = values[i * 4 + 1] as number;
          params[5 + i * 4] = n === 0 ? null : (values[i * 4 + 2] as number);
          params[6 + i * 4] = n === 0 ? null : (values[i * 4 + 3] as number);
        }
        write(params);
      }
    }
    this.#buckets.clear();
    this.#size = 0;
  }

  clear(): void {
    this.#buckets.clear();
    this.#size = 0;
  }
}

/** The upsert that merges one accumulated bucket into a rollup table. */
export function rollupUpsertSql(table: string): string {
  const columns = METRIC_FIELDS.map((field) => FIELD_COLUMNS[field]);
  const names = columns.flatMap((c) => [`${c}_n`, `${c}_sum`, `${c}_min`, `${c}_max`]);
  const updates = columns.flatMap((c) => [
    `${c}_n = ${c}_n + excluded.${c}_n`,
    `${c}_sum = ${c}_sum + excluded.${c}_sum`,
    // SQLite's two-argument min() is NULL when either side is; coalesce keeps the known side.
    `${c}_min = coalesce(min(${c}_min, excluded.${c}_min), ${c}_min, excluded.${c}_min)`,
    `${c}_max = coalesce(max(${c}_max, excluded.${c}_max), ${c}_max, excluded.${c}_max)`,
  ]);
  return `INSERT INTO ${table} (series, bucket, samples, ${names.join(', ')})
    VALUES (${new Array(3 + names.length).fill('?').join(', ')})
    ON CONFLICT (series, bucket) DO UPDATE SET samples = samples + excluded.samples, ${updates.join(', ')}`;
}
