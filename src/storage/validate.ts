/** Checks records at the storage edge so that bad input fails with a message naming the field. */
import { ValidationError } from '../resilience/index.js';
import {
  type AlertRecord,
  type BreakerSnapshotRecord,
  type EventRecord,
  METRIC_FIELDS,
  type MetricRecord,
  type MinerRecord,
  type Severity,
} from './Storage.js';

const SEVERITIES: ReadonlySet<string> = new Set<Severity>(['info', 'warning', 'critical']);

function fail(what: string, field: string, problem: string): never {
  throw new ValidationError(`${what}: \`${field}\` ${problem}`, { field });
}

function text(what: string, field: string, value: unknown): void {
  if (typeof value !== 'string' || value === '')
    fail(what, field, `must be a non-empty string, got ${JSON.stringify(value)}`);
}

function nullableText(what: string, field: string, value: unknown): void {
  if (value !== null && typeof value !== 'string')
    fail(what, field, `must be a string or null, got ${typeof value}`);
}

function epoch(what: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(what, field, `must be epoch milliseconds (an integer >= 0), got ${String(value)}`);
  }
}

function nullableEpoch(what: string, field: string, value: unknown): void {
  if (value !== null) epoch(what, field, value);
}

function severity(what: string, value: unknown): void {
  if (typeof value !== 'string' || !SEVERITIES.has(value)) {
    fail(what, 'severity', `must be one of info, warning, critical, got ${JSON.stringify(value)}`);
  }
}

export function checkMetric(record: MetricRecord, index: number): void {
  const what = `metric sample ${index}`;
  if (typeof record !== 'object' || record === null) throw new ValidationError(`${what} is not an object`);
  text(what, 'minerId', record.minerId);
  epoch(what, 'timestamp', record.timestamp);
  for (const field of METRIC_FIELDS) {
    const value = record[field];
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      fail(`${what} (${record.minerId})`, field, `must be a finite number or null, got ${String(value)}`);
    }
  }
  if (typeof record.backfilled !== 'boolean') fail(what, 'backfilled', 'must be a boolean');
}

export function checkMiner(miner: MinerRecord): void {
  const what = 'miner';
  if (typeof miner !== 'object' || miner === null) throw new ValidationError('miner is not an object');
  text(what, 'id', miner.id);
  if (typeof miner.name !== 'string') fail(what, 'name', 'must be a string');
  text(what, 'host', miner.host);
  if (!Number.isInteger(miner.port) || miner.port < 1 || miner.port > 65535) {
    fail(what, 'port', `must be a TCP port (1-65535), got ${String(miner.port)}`);
  }
  text(what, 'kind', miner.kind);
  nullableText(what, 'mac', miner.mac);
  nullableText(what, 'hostname', miner.hostname);
  if (miner.intervalMs !== null && (!Number.isSafeInteger(miner.intervalMs) || miner.intervalMs <= 0)) {
    fail(what, 'intervalMs', `must be a positive integer or null, got ${String(miner.intervalMs)}`);
  }
  if (typeof miner.enabled !== 'boolean') fail(what, 'enabled', 'must be a boolean');
  epoch(what, 'createdAt', miner.createdAt);
  epoch(what, 'updatedAt', miner.updatedAt);
}

export function checkEvent(event: EventRecord): void {
  const what = 'event';
  if (typeof event !== 'object' || event === null) throw new ValidationError('event is not an object');
  nullableText(what, 'minerId', event.minerId);
  text(what, 'type', event.type);
  severity(what, event.severity);
  if (typeof event.message !== 'string') fail(what, 'message', 'must be a string');
  epoch(what, 'timestamp', event.timestamp);
  if (typeof event.data !== 'object' || event.data === null) fail(what, 'data', 'must be an object');
}

export function checkAlert(alert: AlertRecord): void {
  const what = 'alert';
  if (typeof alert !== 'object' || alert === null) throw new ValidationError('alert is not an object');
  text(what, 'key', alert.key);
  nullableText(what, 'minerId', alert.minerId);
  text(what, 'condition', alert.condition);
  severity(what, alert.severity);
  if (typeof alert.message !== 'string') fail(what, 'message', 'must be a string');
  epoch(what, 'openedAt', alert.openedAt);
  nullableEpoch(what, 'lastNotifiedAt', alert.lastNotifiedAt);
  nullableEpoch(what, 'clearedAt', alert.clearedAt);
  if (!Number.isSafeInteger(alert.notifications) || alert.notifications < 0) {
    fail(what, 'notifications', `must be an integer >= 0, got ${String(alert.notifications)}`);
  }
}

/** MACs compare as upper-case, colon-separated, whatever the device printed. */
export function normalizeMac(mac: string): string {
  return mac.trim().toUpperCase().replaceAll('-', ':');
}

export function checkLimit(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError(`\`limit\` must be an integer >= 1, got ${String(value)}`, { field: 'limit' });
  }
  return Math.min(value, max);
}

export function checkId(name: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw new ValidationError(`\`${name}\` must be a non-empty string, got ${JSON.stringify(value)}`, {
      field: name,
    });
  }
}

export function checkBest(minerId: string, value: number, at: number): void {
  checkId('minerId', minerId);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValidationError(`\`value\` must be a finite number >= 0, got ${String(value)}`, {
      field: 'value',
    });
  }
  if (!Number.isSafeInteger(at) || at < 0) {
    throw new ValidationError(`\`at\` must be epoch milliseconds, got ${String(at)}`, { field: 'at' });
  }
}

export function checkSnapshots(snapshots: readonly BreakerSnapshotRecord[]): void {
  if (!Array.isArray(snapshots)) throw new ValidationError('saveBreakerSnapshots expects an array');
  for (const s of snapshots) {
    checkId('name', s?.name);
    if (typeof s.snapshot !== 'object' || s.snapshot === null) {
      throw new ValidationError(`snapshot of breaker ${s.name} must be an object`, { field: 'snapshot' });
    }
  }
}
