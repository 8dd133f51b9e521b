/**
 * Which instance runs a schedule's run, when several share one PostgreSQL database: each holds
 * the same config schedules and wakes at the same minute, and the first to insert the row for
 * (schedule, run time) runs it; the others find the row and stand aside. The row is the whole
 * protocol, so a run fires once however the instances' wake-ups interleave.
 *
 * The table is this feature's alone and made on first use (`schedule_runs`); rows older than a
 * week are dropped as new ones come, since no run is claimed late by more than a minute or so.
 */
import type { SqlQueryable } from '../../storage/postgres/SqlClient.js';

const KEEP_MS = 7 * 86_400_000;

export class ScheduleRunClaims {
  readonly #db: SqlQueryable;
  readonly #instanceId: string;
  #ready: Promise<void> | null = null;

  constructor(db: SqlQueryable, instanceId: string) {
    this.#db = db;
    this.#instanceId = instanceId;
  }

  /** True when this instance won the run (`at` is the run's planned time, the same on every instance). */
  async claim(name: string, at: number): Promise<boolean> {
    await this.#table();
    const { rows } = await this.#db.query<{ name: string }>(
      `INSERT INTO schedule_runs (name, run_at, instance_id) VALUES ($1, $2, $3)
       ON CONFLICT (name, run_at) DO NOTHING RETURNING name`,
      [name, at, this.#instanceId],
    );
    await this.#db.query('DELETE FROM schedule_runs WHERE run_at < $1', [at - KEEP_MS]);
    return rows.length === 1;
  }

  #table(): Promise<void> {
    this.#ready ??= this.#create().catch((error: unknown) => {
      this.#ready = null;
      throw error;
    });
    return this.#ready;
  }

  async #create(): Promise<void> {
    const ddl = `CREATE TABLE IF NOT EXISTS schedule_runs (
      name text NOT NULL, run_at bigint NOT NULL, instance_id text NOT NULL,
      PRIMARY KEY (name, run_at))`;
    try {
      await this.#db.query(ddl);
    } catch (error) {
      // Two instances creating it at once: one wins; the other's unique violation or duplicate table means it exists.
      if (!['23505', '42P07'].includes((error as { code?: string }).code ?? '')) throw error;
    }
  }
}
