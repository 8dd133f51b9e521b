/**
 * Retention as a bounded background job: each step deletes about `chunk` rows and the job
 * yields to the event loop between steps, so a first run over a year of backlog neither holds
 * the write lock for long nor stalls polling. Steps find their rows through the primary keys
 * (raw rows by time; rollups by series, then time), so no extra index slows the write path.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { RetentionPolicy } from './options.js';

type DatabaseCall = <T>(fn: () => T) => Promise<T>;

interface Step {
  readonly rows: number;
  readonly more: boolean;
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Chunked deletes of one rollup table, one series at a time through its (series, bucket) key. */
function rollupStep(db: Database, table: string): (key: number, cutoff: number, chunk: number) => Step {
  const bound = db
    .prepare(`SELECT bucket FROM ${table} WHERE series = ? AND bucket < ? ORDER BY bucket LIMIT 1 OFFSET ?`)
    .pluck();
  const upTo = db.prepare(`DELETE FROM ${table} WHERE series = ? AND bucket <= ?`);
  const before = db.prepare(`DELETE FROM ${table} WHERE series = ? AND bucket < ?`);
  return (key, cutoff, chunk) => {
    const last = bound.get(key, cutoff, chunk - 1) as number | undefined;
    if (last === undefined) return { rows: before.run(key, cutoff).changes, more: false };
    return { rows: upTo.run(key, last).changes, more: true };
  };
}

export class Retention {
  readonly #keys: Statement;
  readonly #rawBound: Statement;
  readonly #rawUpTo: Statement;
  readonly #rawBefore: Statement;
  readonly #minute: ReturnType<typeof rollupStep>;
  readonly #hour: ReturnType<typeof rollupStep>;
  readonly #events: Statement;
  readonly #alerts: Statement;

  constructor(db: Database) {
    this.#keys = db.prepare('SELECT key FROM metric_series ORDER BY key').pluck();
    this.#rawBound = db.prepare('SELECT ts FROM metrics WHERE ts < ? ORDER BY ts LIMIT 1 OFFSET ?').pluck();
    // Rows sharing the bound's timestamp go in the same step: at most `chunk` + fleet size.
    this.#rawUpTo = db.prepare('DELETE FROM metrics WHERE ts <= ?');
    this.#rawBefore = db.prepare('DELETE FROM metrics WHERE ts < ?');
    this.#minute = rollupStep(db, 'metrics_minute');
    this.#hour = rollupStep(db, 'metrics_hour');
    // By id through the time indexes (events_by_ts, alerts_by_opened): at most `chunk` a step.
    this.#events = db.prepare(
      'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE ts < @cutoff ORDER BY ts LIMIT @chunk)',
    );
    // An alert is opened before it is cleared, so opened_at < cutoff narrows the search.
    this.#alerts = db.prepare(
      `DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE opened_at < @cutoff
        AND cleared_at IS NOT NULL AND cleared_at < @cutoff ORDER BY opened_at LIMIT @chunk)`,
    );
  }

  /** Deletes everything older than the policy allows at `nowMs`; returns rows removed. */
  async run(options: {
    policy: RetentionPolicy;
    nowMs: number;
    chunk: number;
    call: DatabaseCall;
    signal?: AbortSignal;
  }): Promise<number> {
    const { policy, nowMs, chunk, call, signal } = options;
    let removed = 0;
    const loop = async (step: () => Step): Promise<boolean> => {
      for (;;) {
        if (signal?.aborted) return false;
        const done = await call(step);
        removed += done.rows;
        if (done.rows > 0) await nextTick();
        if (!done.more) return true;
      }
    };
    if (policy.rawMs !== null) {
      const cutoff = nowMs - policy.rawMs;
      const finished = await loop(() => {
        const last = this.#rawBound.get(cutoff, chunk - 1) as number | undefined;
        if (last === undefined) return { rows: this.#rawBefore.run(cutoff).changes, more: false };
        return { rows: this.#rawUpTo.run(last).changes, more: true };
      });
      if (!finished) return removed;
    }
    const keys = (await call(() => this.#keys.all())) as number[];
    const rollups: [number | null, ReturnType<typeof rollupStep>][] = [
      [policy.minuteMs, this.#minute],
      [policy.hourMs, this.#hour],
    ];
    for (const [keepMs, step] of rollups) {
      if (keepMs === null) continue;
      const cutoff = nowMs - keepMs;
      for (const key of keys) {
        if (!(await loop(() => step(key, cutoff, chunk)))) return removed;
      }
    }
    if (policy.eventsMs !== null) {
      const cutoff = nowMs - policy.eventsMs;
      for (const statement of [this.#events, this.#alerts]) {
        const finished = await loop(() => {
          const rows = statement.run({ cutoff, chunk }).changes;
          return { rows, more: rows === chunk };
        });
        if (!finished) return removed;
      }
    }
    return removed;
  }
}
