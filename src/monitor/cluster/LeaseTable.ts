/**
 * The SQL of instances and leases (tables `instances` and `miner_leases`, PostgreSQL migration 2).
 * Every time is the database server's (`NOW_MS`), so instances whose clocks disagree still agree
 * on who is alive and whose lease has run out; each answer carries the server's `now` so the
 * caller turns server times into delays. One statement per step, each atomic on its own: two
 * instances claiming one miner at once both try, and the lease row's lock lets exactly one win.
 */
import type { SqlQueryable } from '../../storage/postgres/SqlClient.js';

export const NOW_MS = '(extract(epoch from statement_timestamp()) * 1000)::bigint';

export interface InstanceRow {
  readonly id: string;
  readonly url: string | null;
  readonly startedAt: number;
  readonly heartbeatAt: number;
  /** Miners it holds a lease on. */
  readonly leases: number;
}

export interface HeldLease {
  readonly minerId: string;
  /** Offered to another instance, which takes over at `handoverAt`. */
  readonly offered: boolean;
  /** Server time the miner changes hands (offered), or changed hands (claimed). */
  readonly handoverAt: number;
}

export interface LeaseAnswer<T> {
  readonly now: number;
  readonly rows: T[];
}

export class LeaseTable {
  readonly #db: SqlQueryable;

  constructor(db: SqlQueryable) {
    this.#db = db;
  }

  /** Records this instance's heartbeat; answers the instances alive within `leaseMs`, ids sorted. */
  async heartbeat(id: string, url: string | null, leaseMs: number): Promise<LeaseAnswer<string>> {
    const { rows } = await this.#db.query<{ id: string; now: number }>(
      `WITH me AS (
         INSERT INTO instances (id, url, started_at, heartbeat_at) VALUES ($1, $2, ${NOW_MS}, ${NOW_MS})
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, url = excluded.url
         RETURNING id, heartbeat_at
       )
       SELECT id, ${NOW_MS} AS now FROM instances WHERE heartbeat_at > ${NOW_MS} - $3 AND id <> $1
       UNION ALL SELECT id, heartbeat_at AS now FROM me
       ORDER BY 1`,
      [id, url, leaseMs],
    );
    return { now: rows[0]?.now ?? 0, rows: rows.map((r) => r.id) };
  }

  /** Enabled miners in the fleet (what the shares divide). */
  async fleetSize(): Promise<number> {
    const { rows } = await this.#db.query<{ n: number }>('SELECT count(*) AS n FROM miners WHERE enabled');
    return rows[0]?.n ?? 0;
  }

  /**
   * Extends every lease this instance holds; an offer nobody took by its handover time lapses
   * (the owner keeps polling). Leases another instance took are simply not in the answer.
   */
  async renew(id: string, leaseMs: number): Promise<LeaseAnswer<HeldLease>> {
    const { rows } = await this.#db.query<{
      miner_id: string;
      offered: boolean;
      handover_at: number;
      now: number;
    }>(
      `UPDATE miner_leases SET expires_at = ${NOW_MS} + $2,
         offered = offered AND handover_at > ${NOW_MS}
       WHERE owner = $1
       RETURNING miner_id, offered, handover_at, ${NOW_MS} AS now`,
      [id, leaseMs],
    );
    return { now: await this.#nowOf(rows), rows: rows.map(held) };
  }

  /** Offers these leases to the others, each handed over its `delaysMs` from now (when taken by then). */
  async offer(
    id: string,
    minerIds: readonly string[],
    delaysMs: readonly number[],
  ): Promise<LeaseAnswer<HeldLease>> {
    const { rows } = await this.#db.query<{
      miner_id: string;
      offered: boolean;
      handover_at: number;
      now: number;
    }>(
      `UPDATE miner_leases l SET offered = true, handover_at = ${NOW_MS} + o.delay
       FROM unnest($2::text[], $3::bigint[]) AS o(miner_id, delay)
       WHERE l.owner = $1 AND l.miner_id = o.miner_id AND NOT l.offered
       RETURNING l.miner_id, l.offered, l.handover_at, ${NOW_MS} AS now`,
      [id, minerIds, delaysMs],
    );
    return { now: await this.#nowOf(rows), rows: rows.map(held) };
  }

  /**
   * Takes up to `limit` miners nobody holds, whose lease ran out, or that another instance
   * offers (those change hands at the offer's handover time, the others now). Concurrent claims
   * of one miner: the row lock serialises them and the second finds the lease taken.
   */
  async claim(id: string, limit: number, leaseMs: number): Promise<LeaseAnswer<HeldLease>> {
    if (limit <= 0) return { now: 0, rows: [] };
    const { rows } = await this.#db.query<{ miner_id: string; handover_at: number; now: number }>(
      `WITH t AS (SELECT ${NOW_MS} AS now),
       candidates AS (
         SELECT m.id, l.offered AND l.expires_at >= t.now AS handover, l.handover_at
         FROM miners m CROSS JOIN t LEFT JOIN miner_leases l ON l.miner_id = m.id
         WHERE m.enabled AND (l.miner_id IS NULL OR l.expires_at < t.now
           OR (l.offered AND l.owner <> $1 AND l.handover_at > t.now))
         ORDER BY handover NULLS FIRST, m.id
         LIMIT $2
       )
       INSERT INTO miner_leases AS l (miner_id, owner, expires_at, offered, handover_at)
       SELECT c.id, $1, t.now + $3, false, CASE WHEN c.handover THEN c.handover_at ELSE t.now END
       FROM candidates c CROSS JOIN t
       ON CONFLICT (miner_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
         offered = false, handover_at = greatest(excluded.handover_at, ${NOW_MS})
       WHERE l.expires_at < ${NOW_MS} OR (l.offered AND l.owner <> $1 AND l.handover_at > ${NOW_MS})
       RETURNING miner_id, handover_at, ${NOW_MS} AS now`,
      [id, limit, leaseMs],
    );
    return {
      now: await this.#nowOf(rows),
      rows: rows.map((r) => ({ minerId: r.miner_id, offered: false, handoverAt: r.handover_at })),
    };
  }

  /**
   * Leases of miners deleted or disabled since: nobody should poll them. The live views
   * (`miner_live`) of deleted miners go in the same statement.
   */
  async dropOrphans(): Promise<number> {
    const { rowCount } = await this.#db.query(
      `WITH views AS (DELETE FROM miner_live v WHERE NOT EXISTS (SELECT 1 FROM miners m WHERE m.id = v.miner_id))
       DELETE FROM miner_leases l WHERE NOT EXISTS
         (SELECT 1 FROM miners m WHERE m.id = l.miner_id AND m.enabled)`,
    );
    return rowCount;
  }

  /** A clean exit: the leases go at once (the others claim them on their next tick) and so does the row. */
  async leave(id: string): Promise<void> {
    await this.#db.query('DELETE FROM miner_leases WHERE owner = $1', [id]);
    await this.#db.query('DELETE FROM instances WHERE id = $1', [id]);
  }

  /** Instances heard from within `withinMs`, with how many leases each holds. */
  async instances(withinMs: number): Promise<InstanceRow[]> {
    const { rows } = await this.#db.query<{
      id: string;
      url: string | null;
      started_at: number;
      heartbeat_at: number;
      leases: number;
    }>(
      `SELECT i.id, i.url, i.started_at, i.heartbeat_at,
         (SELECT count(*) FROM miner_leases l WHERE l.owner = i.id AND l.expires_at >= ${NOW_MS}) AS leases
       FROM instances i WHERE i.heartbeat_at > ${NOW_MS} - $1 ORDER BY i.id`,
      [withinMs],
    );
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      startedAt: r.started_at,
      heartbeatAt: r.heartbeat_at,
      leases: r.leases,
    }));
  }

  /** The owner of each miner with a live lease. */
  async owners(): Promise<Map<string, string>> {
    const { rows } = await this.#db.query<{ miner_id: string; owner: string }>(
      `SELECT miner_id, owner FROM miner_leases WHERE expires_at >= ${NOW_MS}`,
    );
    return new Map(rows.map((r) => [r.miner_id, r.owner]));
  }

  /** The server's time when a statement answered no rows (so carried no `now`). */
  async #nowOf(rows: readonly { now: number }[]): Promise<number> {
    const first = rows[0];
    if (first !== undefined) return first.now;
    const answer = await this.#db.query<{ now: number }>(`SELECT ${NOW_MS} AS now`);
    return answer.rows[0]?.now ?? 0;
  }
}

function held(r: { miner_id: string; offered: boolean; handover_at: number }): HeldLease {
  return { minerId: r.miner_id, offered: r.offered, handoverAt: r.handover_at };
}
