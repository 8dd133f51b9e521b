/** Options of `SqliteStorage`: `Partial` over frozen defaults, validated when constructed. */
import type { Clock, RetryConfig, RetryManager } from '../resilience/index.js';
import { DAY_MS } from './columns.js';
import type { CredentialSeal } from './minerColumns.js';

/** How long each table keeps rows; `null` keeps them forever. */
export interface RetentionPolicy {
  /** Raw samples. @default 604800000 (7 days) */
  readonly rawMs: number | null;
  /** Per-minute rollups. @default 7776000000 (90 days) */
  readonly minuteMs: number | null;
  /** Per-hour rollups. @default null (forever) */
  readonly hourMs: number | null;
  /**
   * Events, and alerts cleared that long ago (open alerts stay whatever their age): a flapping
   * miner writes a pair of events per flap, forever otherwise. @default 7776000000 (90 days)
   */
  readonly eventsMs: number | null;
}

/** Told when accepted-capacity runs out and samples are refused, or when close() loses some. */
export interface DropEvent {
  /** Samples refused by this call. */
  readonly dropped: number;
  /** All samples refused since the storage was created. */
  readonly totalDropped: number;
  readonly queued: number;
  readonly maxQueued: number;
  /** `queue_full`: saveMetrics found no room; `closed`: close() could not write what was queued. */
  readonly reason: 'queue_full' | 'closed';
}

/** Told when a background job (time-based flush, retention) fails; the job tries again later. */
export interface StorageErrorEvent {
  readonly operation: 'flush' | 'retention';
  readonly error: unknown;
}

/** Options every Storage implementation takes (the write-behind queue, retention, resilience). */
export interface CommonStorageOptions {
  /** Time for timestamps, retention, retry waits and the background jobs. @default systemClock */
  readonly clock?: Clock;
  /** Where the `database` breaker lives. @default the global retryManager */
  readonly manager?: RetryManager;
  /** For retry jitter. @default Math.random */
  readonly random?: () => number;
  /**
   * Samples per write transaction; a full batch is written at once. Large batches amortize the
   * rollup upserts (one per miner and minute/hour per batch) during bursts such as a backfill;
   * in steady state the timer flushes long before a batch fills. A full batch holds the event
   * loop for roughly 0.1-0.2 s. @default 20000
   */
  readonly batchSize?: number;
  /** Longest a sample waits in the queue before a flush, and the retry pace while the database is down. @default 1000 */
  readonly flushIntervalMs?: number;
  /** Samples held in memory at most (queued and being written); beyond it they are refused and counted. @default 200000 */
  readonly maxQueued?: number;
  readonly retention?: Partial<RetentionPolicy>;
  /** Pace of the background retention job; 0 turns it off (call runRetention yourself). @default 3600000 */
  readonly retentionIntervalMs?: number;
  /** Rows deleted per retention step; steps yield to the event loop. @default 5000 */
  readonly retentionChunk?: number;
  /** Overrides of the `retryDatabaseOperation` preset for every database call (not initialize's 5 attempts). */
  readonly retry?: Partial<RetryConfig>;
  readonly onDrop?: (event: DropEvent) => void;
  readonly onError?: (event: StorageErrorEvent) => void;
  /**
   * The key miners' credentials are sealed with (built by the composition root from
   * SOLOWATCH_SECRET_KEY or `<dataDir>/secret.key`). Without it a login cannot be saved.
   */
  readonly credentialSeal?: CredentialSeal;
}

export interface SqliteStorageOptions extends CommonStorageOptions {
  /** The database file; created when missing (its directory must exist). */
  readonly path: string;
  /**
   * How long SQLite waits on another connection's lock before SQLITE_BUSY. better-sqlite3 waits
   * by blocking the thread, so this stays short and the retries (which wait without blocking)
   * carry longer outages. @default 100
   */
  readonly busyTimeoutMs?: number;
  /**
   * `NORMAL` (WAL): a committed flush survives a process crash; a power cut may lose the last
   * commits. `FULL` also survives power cuts, at a cost per flush. @default 'NORMAL'
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
  /**
   * SQLite's page cache, in KiB. SQLite fills it to the limit over time, so it is memory the
   * process keeps; writing 10,000 miners' samples was no faster with 64 MiB than with 16
   * (0.93-1.08x over five runs, docs/bench/storage.md). @default 16384
   */
  readonly cacheSizeKiB?: number;
}

/** The resolved common options. */
export interface ResolvedCommonOptions {
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly maxQueued: number;
  readonly retention: RetentionPolicy;
  readonly retentionIntervalMs: number;
  readonly retentionChunk: number;
}

export interface ResolvedOptions extends ResolvedCommonOptions {
  readonly path: string;
  readonly busyTimeoutMs: number;
  readonly synchronous: 'NORMAL' | 'FULL';
  readonly cacheSizeKiB: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = Object.freeze({
  rawMs: 7 * DAY_MS,
  minuteMs: 90 * DAY_MS,
  hourMs: null,
  eventsMs: 90 * DAY_MS,
});

export const DEFAULT_OPTIONS = Object.freeze({
  batchSize: 20_000,
  flushIntervalMs: 1000,
  maxQueued: 200_000,
  retentionIntervalMs: 3_600_000,
  retentionChunk: 5000,
  busyTimeoutMs: 100,
  synchronous: 'NORMAL' as const,
  cacheSizeKiB: 16_384,
});

function integer(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`Expected \`${name}\` to be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function keep(name: string, value: unknown): number | null {
  if (value === null) return null;
  return integer(name, value, 1);
}

function callback(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${typeof value}`);
  }
}

/** Checks and fills in the options every implementation shares. */
export function resolveCommonOptions(options: CommonStorageOptions): ResolvedCommonOptions {
  callback('onDrop', options.onDrop);
  callback('onError', options.onError);
  callback('random', options.random);
  const clock = options.clock;
  if (clock !== undefined && (typeof clock?.now !== 'function' || typeof clock.sleep !== 'function')) {
    throw new TypeError('Expected `clock` to have now() and sleep(ms, signal)');
  }
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const resolved: ResolvedCommonOptions = {
    batchSize: integer('batchSize', options.batchSize ?? DEFAULT_OPTIONS.batchSize, 1),
    flushIntervalMs: integer(
      'flushIntervalMs',
      options.flushIntervalMs ?? DEFAULT_OPTIONS.flushIntervalMs,
      1,
    ),
    maxQueued: integer('maxQueued', options.maxQueued ?? DEFAULT_OPTIONS.maxQueued, 1),
    retention: {
      rawMs: keep('retention.rawMs', retention.rawMs),
      minuteMs: keep('retention.minuteMs', retention.minuteMs),
      hourMs: keep('retention.hourMs', retention.hourMs),
      eventsMs: keep('retention.eventsMs', retention.eventsMs),
    },
    retentionIntervalMs: integer(
      'retentionIntervalMs',
      options.retentionIntervalMs ?? DEFAULT_OPTIONS.retentionIntervalMs,
      0,
    ),
    retentionChunk: integer('retentionChunk', options.retentionChunk ?? DEFAULT_OPTIONS.retentionChunk, 1),
  };
  const { rawMs, minuteMs, hourMs } = resolved.retention;
  const longest = (value: number | null): number => value ?? Number.POSITIVE_INFINITY;
  // Coarser tables answer where finer ones were thinned out, so they must keep at least as long.
  if (longest(rawMs) > longest(minuteMs) || longest(minuteMs) > longest(hourMs)) {
    throw new TypeError(
      `Expected \`retention\` to keep rollups at least as long as finer data (rawMs <= minuteMs <= hourMs), got ${rawMs}, ${minuteMs}, ${hourMs}`,
    );
  }
  if (resolved.maxQueued < resolved.batchSize) {
    throw new TypeError(
      `Expected \`maxQueued\` (${resolved.maxQueued}) to be at least \`batchSize\` (${resolved.batchSize})`,
    );
  }
  return resolved;
}

export function resolveOptions(options: SqliteStorageOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected SqliteStorage options to be an object with a `path`');
  }
  if (typeof options.path !== 'string' || options.path === '') {
    throw new TypeError(`Expected \`path\` to be a non-empty file path, got ${JSON.stringify(options.path)}`);
  }
  const synchronous = options.synchronous ?? DEFAULT_OPTIONS.synchronous;
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new TypeError(`Expected \`synchronous\` to be 'NORMAL' or 'FULL', got ${String(synchronous)}`);
  }
  return {
    ...resolveCommonOptions(options),
    path: options.path,
    busyTimeoutMs: integer('busyTimeoutMs', options.busyTimeoutMs ?? DEFAULT_OPTIONS.busyTimeoutMs, 0),
    synchronous,
    cacheSizeKiB: integer('cacheSizeKiB', options.cacheSizeKiB ?? DEFAULT_OPTIONS.cacheSizeKiB, 64),
  };
}
