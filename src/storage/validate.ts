/**
 * Checks records at the storage edge so that bad input fails with a message naming the field.
 *
 * Miners, events and alerts are checked against TypeBox schemas built from the facts written
 * once elsewhere (the port and interval limits of src/schema/minerInput.ts, the severities of
 * Storage.ts), worded like every other refusal. What is left by hand is the storage's own:
 * a metric sample's fields are finite numbers or null (checked per sample on the hot path),
 * list limits, ids and breaker snapshots.
 */
import Type, { type TSchema } from 'typebox';
import { ValidationError } from '../resilience/index.js';
import {
  CREDENTIALS_EXPECTED,
  IntervalMs,
  MinerCredentials,
  MinerPort,
  MinerTags,
} from '../schema/minerInput.js';
import { checker } from '../schema/validator.js';
import {
  type AlertRecord,
  type BreakerSnapshotRecord,
  type EventRecord,
  METRIC_FIELDS,
  type MetricRecord,
  type MinerRecord,
  SEVERITIES,
} from './Storage.js';

const Text = Type.String({ minLength: 1 });
const NullableText = Type.Union([Type.String(), Type.Null()]);
const Epoch = Type.Integer({
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  'x-expected': 'epoch milliseconds (an integer >= 0)',
});
const NullableEpoch = Type.Union([Epoch, Type.Null()]);
const Severity = Type.Enum(SEVERITIES);
const AnObject = Type.Object({}, { 'x-expected': 'an object' });

const MinerRecordSchema = Type.Object({
  id: Text,
  name: Type.String(),
  host: Text,
  port: MinerPort,
  kind: Text,
  mac: NullableText,
  hostname: NullableText,
  intervalMs: Type.Union([IntervalMs, Type.Null()]),
  enabled: Type.Boolean(),
  tags: MinerTags,
  // Sealed: what another instance's key sealed, kept as read (minerColumns.ts).
  credentials: Type.Union([MinerCredentials, Type.Object({ sealed: Type.String() })], {
    // A refusal must not print the password it was given.
    'x-secret': true,
    'x-expected': CREDENTIALS_EXPECTED,
  }),
  createdAt: Epoch,
  updatedAt: Epoch,
});

const EventRecordSchema = Type.Object({
  minerId: NullableText,
  type: Text,
  severity: Severity,
  message: Type.String(),
  timestamp: Epoch,
  data: AnObject,
});

const AlertRecordSchema = Type.Object({
  key: Text,
  minerId: NullableText,
  condition: Text,
  severity: Severity,
  message: Type.String(),
  openedAt: Epoch,
  lastNotifiedAt: NullableEpoch,
  notifications: Type.Integer({ minimum: 0 }),
  clearedAt: NullableEpoch,
});

/** Checks `value` against `schema`; a failure is a ValidationError `what: \`field\` must be ...`. */
function recordCheck(what: string, schema: TSchema): (value: unknown) => void {
  const check = checker(schema);
  return (value) => {
    const checked = check(value);
    if (checked.ok) return;
    const { path, problem } = checked.problem;
    if (path === '') throw new ValidationError(`${what} ${problem}`);
    const field = path.split(/[.[]/)[0] ?? path;
    throw new ValidationError(`${what}: \`${path}\` ${problem}`, { field });
  };
}

export const checkMiner: (miner: MinerRecord) => void = recordCheck('miner', MinerRecordSchema);
export const checkEvent: (event: EventRecord) => void = recordCheck('event', EventRecordSchema);
export const checkAlert: (alert: AlertRecord) => void = recordCheck('alert', AlertRecordSchema);

function fail(what: string, field: string, problem: string): never {
  throw new ValidationError(`${what}: \`${field}\` ${problem}`, { field });
}

function epoch(what: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(what, field, `must be epoch milliseconds (an integer >= 0), got ${String(value)}`);
  }
}

/** Per sample, on the write path: a loop over the fields, no schema walk. */
export function checkMetric(record: MetricRecord, index: number): void {
  const what = `metric sample ${index}`;
  if (typeof record !== 'object' || record === null) throw new ValidationError(`${what} is not an object`);
  if (typeof record.minerId !== 'string' || record.minerId === '')
    fail(what, 'minerId', `must be a non-empty string, got ${JSON.stringify(record.minerId)}`);
  epoch(what, 'timestamp', record.timestamp);
  for (const field of METRIC_FIELDS) {
    const value = record[field];
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      fail(`${what} (${record.minerId})`, field, `must be a finite number or null, got ${String(value)}`);
    }
  }
  if (typeof record.backfilled !== 'boolean') fail(what, 'backfilled', 'must be a boolean');
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
