/**
 * Everything except metrics: miners, events, alerts, best difficulty and breaker snapshots.
 * Synchronous on purpose; SqliteStorage runs each call through the `database` breaker.
 */
import type { Database, Statement } from 'better-sqlite3';
import {
  type CredentialSeal,
  credentialsColumn,
  credentialsOf,
  isClearCredentials,
  tagsColumn,
  tagsOf,
} from './minerColumns.js';
import type {
  AlertRecord,
  BestDifficultyRecord,
  BreakerSnapshotRecord,
  EventRecord,
  MinerRecord,
  Severity,
} from './Storage.js';
import { checkLimit, normalizeMac } from './validate.js';

interface MinerRow {
  id: string;
  name: string;
  host: string;
  port: number;
  kind: string;
  mac: string | null;
  hostname: string | null;
  interval_ms: number | null;
  enabled: number;
  tags: string;
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
  data: string;
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
    enabled: row.enabled === 1,
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
    data: JSON.parse(row.data) as Record<string, unknown>,
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

export class RecordStore {
  readonly #db: Database;
  readonly #saveMiner: Statement;
  readonly #getMiner: Statement<[string]>;
  readonly #byMac: Statement<[string]>;
  readonly #listMiners: Statement<[]>;
  readonly #deleteMiner: Statement<[string]>;
  readonly #insertEvent: Statement;
  readonly #findAlert: Statement;
  readonly #updateAlert: Statement;
  readonly #insertAlert: Statement;
  readonly #raiseBest: Statement;
  readonly #getBest: Statement<[string]>;
  readonly #replaceSnapshots: (snapshots: readonly BreakerSnapshotRecord[]) => void;
  readonly #listSnapshots: Statement<[]>;
  readonly #reseal: Statement;
  readonly #seal: CredentialSeal | null;

  constructor(db: Database, seal: CredentialSeal | null = null) {
    this.#db = db;
    this.#seal = seal;
    this.#reseal = db.prepare('UPDATE miners SET credentials = ? WHERE id = ? AND credentials = ?');
    this.#saveMiner = db.prepare(`INSERT INTO miners
      (id, name, host, port, kind, mac, hostname, interval_ms, enabled, tags, credentials, created_at, updated_at)
      VALUES (@id, @name, @host, @port, @kind, @mac, @hostname, @intervalMs, @enabled, @tags, @credentials,
        @createdAt, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, host = excluded.host, port = excluded.port,
        kind = excluded.kind, mac = excluded.mac, hostname = excluded.hostname,
        interval_ms = excluded.interval_ms, enabled = excluded.enabled, tags = excluded.tags,
        credentials = excluded.credentials, updated_at = excluded.updated_at`);
    this.#getMiner = db.prepare('SELECT * FROM miners WHERE id = ?');
    this.#byMac = db.prepare('SELECT * FROM miners WHERE mac = ? ORDER BY updated_at DESC LIMIT 1');
    this.#listMiners = db.prepare('SELECT * FROM miners ORDER BY created_at, id');
    this.#deleteMiner = db.prepare('DELETE FROM miners WHERE id = ?');
    this.#insertEvent = db.prepare(
      'INSERT INTO events (miner_id, type, severity, message, ts, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    // The open alert of the key, or the cleared one this record was (same opening time).
    this.#findAlert = db
      .prepare(`SELECT id FROM alerts WHERE key = @key AND (cleared_at IS NULL OR opened_at = @openedAt)
        ORDER BY opened_at = @openedAt DESC, id DESC LIMIT 1`)
      .pluck();
    this.#updateAlert = db.prepare(`UPDATE alerts SET miner_id = @minerId, condition = @condition,
      severity = @severity, message = @message, opened_at = @openedAt, last_notified_at = @lastNotifiedAt,
      notifications = @notifications, cleared_at = @clearedAt WHERE id = @id`);
    this.#insertAlert = db.prepare(`INSERT INTO alerts
      (key, miner_id, condition, severity, message, opened_at, last_notified_at, notifications, cleared_at)
      VALUES (@key, @minerId, @condition, @severity, @message, @openedAt, @lastNotifiedAt, @notifications, @clearedAt)`);
    this.#raiseBest = db.prepare(`INSERT INTO best_difficulty (miner_id, best, achieved_at) VALUES (?, ?, ?)
      ON CONFLICT (miner_id) DO UPDATE SET best = excluded.best, achieved_at = excluded.achieved_at
      WHERE excluded.best > best_difficulty.best`);
    this.#getBest = db.prepare('SELECT miner_id, best, achieved_at FROM best_difficulty WHERE miner_id = ?');
    const clear = db.prepare('DELETE FROM breaker_snapshots');
    const insert = db.prepare('INSERT INTO breaker_snapshots (name, snapshot, saved_at) VALUES (?, ?, ?)');
    this.#replaceSnapshots = db.transaction((snapshots: readonly BreakerSnapshotRecord[]) => {
      clear.run();
      for (const s of snapshots) insert.run(s.name, JSON.stringify(s.snapshot), s.savedAt);
    });
    this.#listSnapshots = db.prepare('SELECT name, snapshot, saved_at FROM breaker_snapshots ORDER BY name');
  }

  saveMiner(miner: MinerRecord): void {
    // Named fields only: callers may pass richer objects than MinerRecord.
    this.#saveMiner.run({
      id: miner.id,
      name: miner.name,
      host: miner.host,
      port: miner.port,
      kind: miner.kind,
      mac: miner.mac === null ? null : normalizeMac(miner.mac),
      hostname: miner.hostname,
      intervalMs: miner.intervalMs,
      enabled: miner.enabled ? 1 : 0,
      tags: tagsColumn(miner.tags),
      credentials: credentialsColumn(miner.id, miner.credentials, this.#seal),
      createdAt: miner.createdAt,
      updatedAt: miner.updatedAt,
    });
  }

  getMiner(id: string): MinerRecord | null {
    const row = this.#getMiner.get(id) as MinerRow | undefined;
    return row === undefined ? null : toMiner(row, this.#seal);
  }

  findByMac(mac: string): MinerRecord | null {
    const row = this.#byMac.get(normalizeMac(mac)) as MinerRow | undefined;
    return row === undefined ? null : toMiner(row, this.#seal);
  }

  /** Every miner; credentials still in clear from the build before are sealed on the way (start-up lists them). */
  listMiners(): MinerRecord[] {
    const rows = this.#listMiners.all() as MinerRow[];
    const miners = rows.map((row) => toMiner(row, this.#seal));
    if (this.#seal !== null) {
      miners.forEach((miner, i) => {
        const stored = rows[i]?.credentials ?? null;
        if (!isClearCredentials(stored)) return;
        this.#reseal.run(credentialsColumn(miner.id, miner.credentials, this.#seal), miner.id, stored);
      });
    }
    return miners;
  }

  deleteMiner(id: string): boolean {
    return this.#deleteMiner.run(id).changes > 0;
  }

  /** Drops the miner's events, alerts and best difficulty (its metrics go through MetricWriter). */
  dropMinerHistory(id: string): void {
    this.#db.prepare('DELETE FROM events WHERE miner_id = ?').run(id);
    this.#db.prepare('DELETE FROM alerts WHERE miner_id = ?').run(id);
    this.#db.prepare('DELETE FROM best_difficulty WHERE miner_id = ?').run(id);
  }

  recordEvent(event: EventRecord): number {
    const result = this.#insertEvent.run(
      event.minerId,
      event.type,
      event.severity,
      event.message,
      event.timestamp,
      JSON.stringify(event.data),
    );
    return Number(result.lastInsertRowid);
  }

  listEvents(query: { minerId?: string; limit?: number; before?: number }): EventRecord[] {
    const limit = checkLimit(query.limit, 100, 10_000);
    const where = whereOf([
      query.minerId !== undefined && { sql: 'miner_id = ?', param: query.minerId },
      query.before !== undefined && { sql: 'ts < ?', param: query.before },
    ]);
    const sql = `SELECT * FROM events ${where.sql} ORDER BY ts DESC, id DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...where.params, limit) as EventRow[]).map(toEvent);
  }

  upsertAlert(alert: AlertRecord): void {
    const params = {
      key: alert.key,
      minerId: alert.minerId,
      condition: alert.condition,
      severity: alert.severity,
      message: alert.message,
      openedAt: alert.openedAt,
      lastNotifiedAt: alert.lastNotifiedAt,
      notifications: alert.notifications,
      clearedAt: alert.clearedAt,
    };
    const id = this.#findAlert.get({ key: alert.key, openedAt: alert.openedAt }) as number | undefined;
    if (id === undefined) this.#insertAlert.run(params);
    else this.#updateAlert.run({ ...params, id });
  }

  listAlerts(query: { minerId?: string; openOnly?: boolean; limit?: number }): AlertRecord[] {
    const limit = checkLimit(query.limit, 100, 10_000);
    const where = whereOf([
      query.minerId !== undefined && { sql: 'miner_id = ?', param: query.minerId },
      query.openOnly === true && { sql: 'cleared_at IS NULL' },
    ]);
    const sql = `SELECT * FROM alerts ${where.sql} ORDER BY opened_at DESC, id DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...where.params, limit) as AlertRow[]).map(toAlert);
  }

  raiseBest(minerId: string, value: number, at: number): boolean {
    return this.#raiseBest.run(minerId, value, at).changes > 0;
  }

  getBest(minerId: string): BestDifficultyRecord | null {
    const row = this.#getBest.get(minerId) as
      | { miner_id: string; best: number; achieved_at: number }
      | undefined;
    return row === undefined
      ? null
      : { minerId: row.miner_id, bestDifficulty: row.best, achievedAt: row.achieved_at };
  }

  replaceSnapshots(snapshots: readonly BreakerSnapshotRecord[]): void {
    this.#replaceSnapshots(snapshots);
  }

  listSnapshots(): BreakerSnapshotRecord[] {
    return (this.#listSnapshots.all() as { name: string; snapshot: string; saved_at: number }[]).map(
      (row) => ({
        name: row.name,
        snapshot: JSON.parse(row.snapshot) as Record<string, unknown>,
        savedAt: row.saved_at,
      }),
    );
  }
}

interface Filter {
  readonly sql: string;
  readonly param?: string | number;
}

/** `WHERE a AND b` of the filters that apply (false: not asked for), and their parameters in order. */
function whereOf(filters: readonly (Filter | false)[]): { sql: string; params: (string | number)[] } {
  const applied = filters.filter((f): f is Filter => f !== false);
  return {
    sql: applied.length === 0 ? '' : `WHERE ${applied.map((f) => f.sql).join(' AND ')}`,
    params: applied.flatMap((f) => (f.param === undefined ? [] : [f.param])),
  };
}
