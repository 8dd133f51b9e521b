/**
 * Everything except metrics on PostgreSQL: miners, events, alerts, best difficulty and breaker
 * snapshots. The same semantics as the SQLite RecordStore (the contract suite holds both to it).
 */

import {
  type CredentialSeal,
  credentialsColumn,
  credentialsOf,
  isClearCredentials,
  tagsColumn,
  tagsOf,
} from '../minerColumns.js';
import type {
  AlertRecord,
  BestDifficultyRecord,
  BreakerSnapshotRecord,
  EventRecord,
  MinerRecord,
  Severity,
} from '../Storage.js';
import { checkLimit, normalizeMac } from '../validate.js';
import type { SqlClient, SqlQueryable } from './SqlClient.js';

interface MinerRow {
  id: string;
  name: string;
  host: string;
  port: number;
  kind: string;
  mac: string | null;
  hostname: string | null;
  interval_ms: number | null;
  enabled: boolean;
  tags: unknown;
  credentials: string | null;
  created_at: number;
  updated_at: number;
}

interface EventRow {
  id: number;
  miner_id: string | null;
  type: string;
  severity: Severity;
  message: string;
  ts: number;
  data: Record<string, unknown>;
}

interface AlertRow {
  key: string;
  miner_id: string | null;
  condition: string;
  severity: Severity;
  message: string;
  opened_at: number;
  last_notified_at: number | null;
  notifications: number;
  cleared_at: number | null;
}

function toMiner(row: MinerRow, seal: CredentialSeal | null): MinerRecord {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    kind: row.kind,
    mac: row.mac,
    hostname: row.hostname,
    intervalMs: row.interval_ms,
    enabled: row.enabled,
    tags: tagsOf(row.tags),
    credentials: credentialsOf(row.id, row.credentials, seal),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toEvent(row: EventRow): EventRecord {
  return {
    id: row.id,
    minerId: row.miner_id,
    type: row.type,
    severity: row.severity,
    message: row.message,
    timestamp: row.ts,
    data: row.data,
  };
}

function toAlert(row: AlertRow): AlertRecord {
  return {
    key: row.key,
    minerId: row.miner_id,
    condition: row.condition,
    severity: row.severity,
    message: row.message,
    openedAt: row.opened_at,
    lastNotifiedAt: row.last_notified_at,
    notifications: row.notifications,
    clearedAt: row.cleared_at,
  };
}

/** `WHERE a AND b` of the filters given, with `$n` placeholders numbered from 1. */
function whereOf(filters: readonly (readonly [string, unknown] | false)[]): {
  sql: string;
  params: unknown[];
} {
  const params: unknown[] = [];
  const parts: string[] = [];
  for (const filter of filters) {
    if (filter === false) continue;
    const [sql, param] = filter;
    if (param === undefined) parts.push(sql);
    else {
      params.push(param);
      parts.push(sql.replace('?', `$${params.length}`));
    }
  }
  return { sql: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, params };
}

export class PgRecordStore {
  readonly #client: SqlClient;
  readonly #seal: CredentialSeal | null;

  constructor(client: SqlClient, seal: CredentialSeal | null = null) {
    this.#client = client;
    this.#seal = seal;
  }

  async saveMiner(miner: MinerRecord): Promise<void> {
    await this.#client.query(
      `INSERT INTO miners (id, name, host, port, kind, mac, hostname, interval_ms, enabled, created_at, updated_at,
         tags, credentials)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, host = excluded.host, port = excluded.port,
         kind = excluded.kind, mac = excluded.mac, hostname = excluded.hostname,
         interval_ms = excluded.interval_ms, enabled = excluded.enabled, tags = excluded.tags,
         credentials = excluded.credentials, updated_at = excluded.updated_at`,
      [
        miner.id,
        miner.name,
        miner.host,
        miner.port,
        miner.kind,
        miner.mac === null ? null : normalizeMac(miner.mac),
        miner.hostname,
        miner.intervalMs,
        miner.enabled,
        miner.createdAt,
        miner.updatedAt,
        tagsColumn(miner.tags),
        credentialsColumn(miner.id, miner.credentials, this.#seal),
      ],
    );
  }

  async getMiner(id: string): Promise<MinerRecord | null> {
    const { rows } = await this.#client.query<MinerRow>('SELECT * FROM miners WHERE id = $1', [id]);
    return rows[0] === undefined ? null : toMiner(rows[0], this.#seal);
  }

  async findByMac(mac: string): Promise<MinerRecord | null> {
    const { rows } = await this.#client.query<MinerRow>(
      'SELECT * FROM miners WHERE mac = $1 ORDER BY updated_at DESC LIMIT 1',
      [normalizeMac(mac)],
    );
    return rows[0] === undefined ? null : toMiner(rows[0], this.#seal);
  }

  async listMiners(): Promise<MinerRecord[]> {
    const { rows } = await this.#client.query<MinerRow>(
      'SELECT * FROM miners ORDER BY created_at, id COLLATE "C"',
    );
    const miners = rows.map((row) => toMiner(row, this.#seal));
    // Credentials still in clear from the build before are sealed on the way (start-up lists them).
    if (this.#seal !== null) {
      for (const [i, miner] of miners.entries()) {
        const stored = rows[i]?.credentials ?? null;
        if (!isClearCredentials(stored)) continue;
        await this.#client.query('UPDATE miners SET credentials = $1 WHERE id = $2 AND credentials = $3', [
          credentialsColumn(miner.id, miner.credentials, this.#seal),
          miner.id,
          stored,
        ]);
      }
    }
    return miners;
  }

  async deleteMiner(id: string, tx: SqlQueryable = this.#client): Promise<boolean> {
    return (await tx.query('DELETE FROM miners WHERE id = $1', [id])).rowCount > 0;
  }

  /** Drops the miner's events, alerts and best difficulty (its metrics go through the writer). */
  async dropMinerHistory(id: string, tx: SqlQueryable = this.#client): Promise<void> {
    for (const table of ['events', 'alerts', 'best_difficulty']) {
      await tx.query(`DELETE FROM ${table} WHERE miner_id = $1`, [id]);
    }
  }

  async recordEvent(event: EventRecord): Promise<number> {
    const { rows } = await this.#client.query<{ id: number }>(
      'INSERT INTO events (miner_id, type, severity, message, ts, data) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      [event.minerId, event.type, event.severity, event.message, event.timestamp, JSON.stringify(event.data)],
    );
    return rows[0]?.id as number;
  }

  async listEvents(query: { minerId?: string; limit?: number; before?: number }): Promise<EventRecord[]> {
    const limit = checkLimit(query.limit, 100, 10_000);
    const where = whereOf([
      query.minerId !== undefined && ['miner_id = ?', query.minerId],
      query.before !== undefined && ['ts < ?', query.before],
    ]);
    const { rows } = await this.#client.query<EventRow>(
      `SELECT * FROM events ${where.sql} ORDER BY ts DESC, id DESC LIMIT $${where.params.length + 1}`,
      [...where.params, limit],
    );
    return rows.map(toEvent);
  }

  async upsertAlert(alert: AlertRecord): Promise<void> {
    const params = [
      alert.key,
      alert.minerId,
      alert.condition,
      alert.severity,
      alert.message,
      alert.openedAt,
      alert.lastNotifiedAt,
      alert.notifications,
      alert.clearedAt,
    ];
    await this.#client.transaction(async (tx) => {
      // The open alert of the key, or the cleared one this record was (same opening time).
      const { rows } = await tx.query<{ id: number }>(
        `SELECT id FROM alerts WHERE key = $1 AND (cleared_at IS NULL OR opened_at = $2)
         ORDER BY opened_at = $2 DESC, id DESC LIMIT 1 FOR UPDATE`,
        [alert.key, alert.openedAt],
      );
      const id = rows[0]?.id;
      if (id === undefined) {
        await tx.query(
          `INSERT INTO alerts (key, miner_id, condition, severity, message, opened_at, last_notified_at, notifications, cleared_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          params,
        );
      } else {
        await tx.query(
          `UPDATE alerts SET key = $1, miner_id = $2, condition = $3, severity = $4, message = $5, opened_at = $6,
             last_notified_at = $7, notifications = $8, cleared_at = $9 WHERE id = $10`,
          [...params, id],
        );
      }
    });
  }

  async listAlerts(query: { minerId?: string; openOnly?: boolean; limit?: number }): Promise<AlertRecord[]> {
    const limit = checkLimit(query.limit, 100, 10_000);
    const where = whereOf([
      query.minerId !== undefined && ['miner_id = ?', query.minerId],
      query.openOnly === true && ['cleared_at IS NULL', undefined],
    ]);
    const { rows } = await this.#client.query<AlertRow>(
      `SELECT * FROM alerts ${where.sql} ORDER BY opened_at DESC, id DESC LIMIT $${where.params.length + 1}`,
      [...where.params, limit],
    );
    return rows.map(toAlert);
  }

  async raiseBest(minerId: string, value: number, at: number): Promise<boolean> {
    const result = await this.#client.query(
      `INSERT INTO best_difficulty (miner_id, best, achieved_at) VALUES ($1, $2, $3)
       ON CONFLICT (miner_id) DO UPDATE SET best = excluded.best, achieved_at = excluded.achieved_at
       WHERE excluded.best > best_difficulty.best`,
      [minerId, value, at],
    );
    return result.rowCount > 0;
  }

  async getBest(minerId: string): Promise<BestDifficultyRecord | null> {
    const { rows } = await this.#client.query<{ miner_id: string; best: number; achieved_at: number }>(
      'SELECT miner_id, best, achieved_at FROM best_difficulty WHERE miner_id = $1',
      [minerId],
    );
    const row = rows[0];
    return row === undefined
      ? null
      : { minerId: row.miner_id, bestDifficulty: row.best, achievedAt: row.achieved_at };
  }

  async replaceSnapshots(snapshots: readonly BreakerSnapshotRecord[]): Promise<void> {
    await this.#client.transaction(async (tx) => {
      await tx.query('DELETE FROM breaker_snapshots');
      if (snapshots.length === 0) return;
      await tx.query(
        `INSERT INTO breaker_snapshots (name, snapshot, saved_at)
         SELECT * FROM unnest($1::text[], $2::jsonb[], $3::bigint[])`,
        [
          snapshots.map((s) => s.name),
          snapshots.map((s) => JSON.stringify(s.snapshot)),
          snapshots.map((s) => s.savedAt),
        ],
      );
    });
  }

  async listSnapshots(): Promise<BreakerSnapshotRecord[]> {
    const { rows } = await this.#client.query<{
      name: string;
      snapshot: Record<string, unknown>;
      saved_at: number;
    }>('SELECT name, snapshot, saved_at FROM breaker_snapshots ORDER BY name COLLATE "C"');
    return rows.map((row) => ({ name: row.name, snapshot: row.snapshot, savedAt: row.saved_at }));
  }
}
