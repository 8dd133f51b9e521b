/**
 * The synchronous write path: one batch of samples, raw rows and both rollups, in ONE immediate
 * transaction. A sample whose (miner, timestamp) is already stored is skipped and does not touch
 * the rollups, so writing a batch twice (a retry after an ambiguous failure) counts nothing twice.
 */
import type { Database, Statement } from 'better-sqlite3';
import { FIELD_COLUMNS, HOUR_MS, MINUTE_MS } from './columns.js';
import { RollupAccumulator, rollupUpsertSql } from './RollupAccumulator.js';
import { METRIC_FIELDS, type MetricRecord } from './Storage.js';

export class MetricWriter {
  readonly #db: Database;
  readonly #keys = new Map<string, number>();
  readonly #insert: Statement;
  readonly #insertSeries: Statement<[string]>;
  readonly #findSeries: Statement<[string]>;
  readonly #upsertMinute: Statement;
  readonly #upsertHour: Statement;
  readonly #minute = new RollupAccumulator(MINUTE_MS);
  readonly #hour = new RollupAccumulator(HOUR_MS);
  readonly #transaction: (batch: readonly MetricRecord[], created: string[]) => number;

  constructor(db: Database) {
    this.#db = db;
    const columns = METRIC_FIELDS.map((field) => FIELD_COLUMNS[field]);
    this.#insert = db.prepare(
      `INSERT OR IGNORE INTO metrics (series, ts, ${columns.join(', ')}, backfilled)
       VALUES (${new Array(columns.length + 3).fill('?').join(', ')})`,
    );
    this.#insertSeries = db.prepare('INSERT INTO metric_series (miner_id) VALUES (?)');
    this.#findSeries = db.prepare('SELECT key FROM metric_series WHERE miner_id = ?').pluck();
    this.#upsertMinute = db.prepare(rollupUpsertSql('metrics_minute'));
    this.#upsertHour = db.prepare(rollupUpsertSql('metrics_hour'));
    this.#transaction = db.transaction((batch, created) => this.#writeRows(batch, created)).immediate;
  }

  /** The series key of a miner id, or undefined when nothing was ever stored for it. */
  seriesKey(minerId: string): number | undefined {
    const cached = this.#keys.get(minerId);
    if (cached !== undefined) return cached;
    const key = this.#findSeries.get(minerId) as number | undefined;
    if (key !== undefined) this.#keys.set(minerId, key);
    return key;
  }

  /** Forgets a cached key after its series was deleted. */
  forget(minerId: string): void {
    this.#keys.delete(minerId);
  }

  /** Writes the batch atomically; returns the rows inserted (duplicates excluded). */
  write(batch: readonly MetricRecord[]): number {
    const created: string[] = [];
    try {
      return this.#transaction(batch, created);
    } catch (error) {
      // Keys created inside the rolled-back transaction do not exist any more.
      for (const minerId of created) this.#keys.delete(minerId);
      this.#minute.clear();
      this.#hour.clear();
      throw error;
    }
  }

  #key(minerId: string, created: string[]): number {
    const existing = this.seriesKey(minerId);
    if (existing !== undefined) return existing;
    const key = Number(this.#insertSeries.run(minerId).lastInsertRowid);
    this.#keys.set(minerId, key);
    created.push(minerId);
    return key;
  }

  #writeRows(batch: readonly MetricRecord[], created: string[]): number {
    const insert = this.#insert;
    let inserted = 0;
    for (const r of batch) {
      const series = this.#key(r.minerId, created);
      const result = insert.run(
        series,
        r.timestamp,
        r.hashrateGhs,
        r.expectedHashrateGhs,
        r.temperatureC,
        r.vrTemperatureC,
        r.powerW,
        r.inputVoltageV,
        r.fanRpm,
        r.sharesAccepted,
        r.sharesRejected,
        r.bestDifficulty,
        r.sessionBestDifficulty,
        r.uptimeS,
        r.backfilled ? 1 : 0,
      );
      if (result.changes === 0) continue;
      inserted += 1;
      this.#minute.add(series, r);
      this.#hour.add(series, r);
    }
    this.#minute.drain((params) => this.#upsertMinute.run(params));
    this.#hour.drain((params) => this.#upsertHour.run(params));
    return inserted;
  }

  /** Deletes every stored sample and rollup of a miner (its series key included). */
  dropSeries(minerId: string): void {
    const key = this.seriesKey(minerId);
    if (key === undefined) return;
    this.#db
      .transaction(() => {
        for (const table of ['metrics', 'metrics_minute', 'metrics_hour']) {
          this.#db.prepare(`DELETE FROM ${table} WHERE series = ?`).run(key);
        }
        this.#db.prepare('DELETE FROM metric_series WHERE key = ?').run(key);
      })
      .immediate();
    this.forget(minerId);
  }
}
