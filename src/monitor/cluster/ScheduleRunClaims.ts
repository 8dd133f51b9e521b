/**
 * Which instance runs a schedule's run, when several share one PostgreSQL database: each holds
 * the same config schedules and wakes at the same minute, and the first to insert the row for
 * (schedule, run time) runs it; the others find the row and stand aside. The row is the whole
 * protocol, so a run fires once however the instances' wake-ups interleave.
 *
 * The table (`schedule_runs`, PostgreSQL migration 5) keeps a week of runs: rows older than a
 * week before now are dropped as new ones come. The cut is taken from the clock, not from the run
 * being claimed, so a claim never drops a row another instance may still be about to claim.
 */
import type { Clock } from '../../resilience/clock.js';
import type { SqlQueryable } from '../../storage/postgres/SqlClient.js';

const KEEP_MS = 7 * 86_400_000;

export class ScheduleRunClaims {
  readonly #db: SqlQueryable;
  readonly #instanceId: string;
  readonly #clock: Pick<Clock, 'now'>;

  constructor(db: SqlQueryable, instanceId: string, clock: Pick<Clock, 'now'>) {
    this.#db = db;
    this.#instanceId = instanceId;
    this.#clock = clock;
  }

  /** True when this instance won the run (`at` is the run's planned time, the same on every instance). */
  async claim(name: string, at: number): Promise<boolean> {
    const { rows } = await this.#db.query<{ name: string }>(
      `INSERT INTO schedule_runs (name, run_at, instance_id) VALUES ($1, $2, $3)
       ON CONFLICT (name, run_at) DO NOTHING RETURNING name`,
      [name, at, this.#instanceId],
    );
    await this.#db.query('DELETE FROM schedule_runs WHERE run_at < $1', [this.#clock.now() - KEEP_MS]);
    return rows.length === 1;
  }
}
