/**
 * The SQL of `miner_live` (PostgreSQL migration 3): the instance that polls a miner writes its
 * view there, and every other instance reads the views of the miners it does not poll, so each
 * API shows the whole fleet live. Times are the database server's, as in LeaseTable.
 */
import type { SqlQueryable } from '../../storage/postgres/SqlClient.js';
import { NOW_MS } from './LeaseTable.js';

/** A miner another instance holds a live lease on, with its view when that changed since asked. */
export interface RemoteRow {
  readonly minerId: string;
  /** The instance polling it. */
  readonly owner: string;
  /** Where that instance's API answers (commands for the miner go there), null when it did not say. */
  readonly ownerUrl: string | null;
  /** The view its owner last wrote, or null when unchanged since `since` (or never written). */
  readonly view: unknown;
  readonly updatedAt: number | null;
}

export interface PublishedView {
  readonly minerId: string;
  readonly view: object;
}

export class LiveTable {
  readonly #db: SqlQueryable;

  constructor(db: SqlQueryable) {
    this.#db = db;
  }

  /** Writes this instance's views of the miners it polls, all in one statement. */
  async publish(id: string, views: readonly PublishedView[]): Promise<void> {
    if (views.length === 0) return;
    await this.#db.query(
      `INSERT INTO miner_live AS v (miner_id, owner, view, updated_at)
       SELECT x.miner_id, $1, x.view, ${NOW_MS}
       FROM jsonb_to_recordset($2::jsonb) AS x(miner_id text, view jsonb)
       ON CONFLICT (miner_id) DO UPDATE SET owner = excluded.owner, view = excluded.view,
         updated_at = excluded.updated_at`,
      [id, JSON.stringify(views.map((v) => ({ miner_id: v.minerId, view: v.view })))],
    );
  }

  /**
   * Every miner another instance holds a live lease on (O(miners not owned), one statement),
   * with the view of those whose view changed after `since` (server time). `now` is the server's
   * time of the answer, for the next `since`.
   */
  async read(id: string, since: number): Promise<{ now: number; rows: RemoteRow[] }> {
    const { rows } = await this.#db.query<{
      miner_id: string | null;
      owner: string | null;
      url: string | null;
      view: unknown;
      updated_at: number | null;
      now: number;
    }>(
      `SELECT l.miner_id, l.owner, i.url, v.view, v.updated_at, ${NOW_MS} AS now
       FROM miner_leases l LEFT JOIN miner_live v ON v.miner_id = l.miner_id AND v.updated_at > $2
         LEFT JOIN instances i ON i.id = l.owner
       WHERE l.owner <> $1 AND l.expires_at >= ${NOW_MS}
       UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, ${NOW_MS}`,
      [id, since],
    );
    const out: RemoteRow[] = [];
    let now = 0;
    for (const r of rows) {
      now = r.now;
      if (r.miner_id === null || r.owner === null) continue;
      out.push({
        minerId: r.miner_id,
        owner: r.owner,
        ownerUrl: r.url,
        view: r.view,
        updatedAt: r.updated_at,
      });
    }
    return { now, rows: out };
  }
}
