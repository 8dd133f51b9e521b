/**
 * Retention as a bounded background job: each step deletes at most `chunk` rows of one miner's
 * series (found through the primary key, so no extra index slows the write path) and the job
 * yields to the event loop between steps, so a first run over a year of backlog neither holds
 * the write lock for long nor stalls polling.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { RetentionPolicy } from './options.js';

type DatabaseCall = <T>(fn: () => T) => Promise<T>;

interface Target {
  readonly bound: Statement;
  readonly deleteUpTo: Statement;
  readonly deleteBefore: Statement;
  readonly keepMs: (policy: RetentionPolicy) => number | null;
}

function target(db: Database, table: string, time: string, keepMs: Target['keepMs']): Target {
  return {
    bound: db
      .prepare(
        `SELECT ${time} FROM ${table} WHERE series = ? AND ${time} < ? ORDER BY ${time} LIMIT 1 OFFSET ?`,
      )
      .pluck(),
    deleteUpTo: db.prepare(`DELETE FROM ${table} WHERE series = ? AND ${time} <= ?`),
    deleteBefore: db.prepare(`DELETE FROM ${table} WHERE series = ? AND ${time} < ?`),
    keepMs,
  };
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class Retention {
  readonly #targets: readonly Target[];
  readonly #keys: Statement;

  constructor(db: Database) {
    this.#keys = db.prepare('SELECT key FROM metric_series ORDER BY key').pluck();
    this.#targets = [
      target(db, 'metrics', 'ts', (policy) => policy.rawMs),
      target(db, 'metrics_minute', 'bucket', (policy) => policy.minuteMs),
      target(db, 'metrics_hour', 'bucket', (policy) => policy.hourMs),
    ];
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
    const keys = (await call(() => this.#keys.all())) as number[];
    let removed = 0;
    for (const t of this.#targets) {
      const keepMs = t.keepMs(policy);
      if (keepMs === null) continue;
      const cutoff = nowMs - keepMs;
      for (const key of keys) {
        for (;;) {
          if (signal?.aborted) return removed;
          const step = await call(() => {
            const bound = t.bound.get(key, cutoff, chunk - 1) as number | undefined;
            if (bound === undefined) return { rows: t.deleteBefore.run(key, cutoff).changes, more: false };
            return { rows: t.deleteUpTo.run(key, bound).changes, more: true };
          });
          removed += step.rows;
          if (step.rows > 0) await nextTick();
          if (!step.more) break;
        }
      }
    }
    return removed;
  }
}
