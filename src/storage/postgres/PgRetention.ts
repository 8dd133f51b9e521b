/**
 * Retention on PostgreSQL, as a bounded background job like SQLite's: each step deletes at most
 * `chunk` rows (found through the primary key or the BRIN time index) and yields between steps,
 * so a first run over a long backlog neither holds locks for long nor stalls ingest.
 */
import type { RetentionPolicy } from '../options.js';
import type { SqlClient } from './SqlClient.js';

type DatabaseCall = <T>(fn: () => Promise<T>) => Promise<T>;

/** What goes when: rows of `table` matching `old` ($1 the cutoff) once older than the policy's `keep`. */
const STEPS: readonly { table: string; old: string; keep: keyof RetentionPolicy }[] = [
  { table: 'metrics', old: 'ts < $1', keep: 'rawMs' },
  { table: 'metrics_minute', old: 'bucket < $1', keep: 'minuteMs' },
  { table: 'metrics_hour', old: 'bucket < $1', keep: 'hourMs' },
  { table: 'events', old: 'ts < $1', keep: 'eventsMs' },
  // Open alerts stay whatever their age; an alert is opened before it is cleared.
  { table: 'alerts', old: 'opened_at < $1 AND cleared_at IS NOT NULL AND cleared_at < $1', keep: 'eventsMs' },
];

export class PgRetention {
  readonly #client: SqlClient;

  constructor(client: SqlClient) {
    this.#client = client;
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
    for (const { table, old, keep } of STEPS) {
      const keepMs = policy[keep];
      if (keepMs === null) continue;
      const sql = `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM ${table} WHERE ${old} LIMIT $2))`;
      for (;;) {
        if (signal?.aborted) return removed;
        const rows = await call(
          async () => (await this.#client.query(sql, [nowMs - keepMs, chunk])).rowCount,
        );
        removed += rows;
        if (rows < chunk) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return removed;
  }
}
