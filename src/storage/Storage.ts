/**
 * What the app needs from a database. Async throughout so that a server database can stand in
 * for SQLite later without touching the monitor or the server.
 */

export interface MinerRecord {
  /** Our id, stable for the miner's life even when its address changes. */
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly kind: string;
  /** Identity across address changes; upper-case colon-separated, null when the device hides it. */
  readonly mac: string | null;
  readonly hostname: string | null;
  /** Poll interval override; null means the app default. */
  readonly intervalMs: number | null;
  readonly enabled: boolean;
  /** The user's labels (fleet targets, desired state, the dashboard's filter); unique, any order. */
  readonly tags: readonly string[];
  /**
   * What the device asks for (HTTP Basic on AxeOS builds that have it); null when it asks
   * nothing; sealed when this instance's key cannot open what another instance saved.
   */
  readonly credentials: MinerCredentials | SealedCredentials | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A miner's own login. Kept with the miner, never shown back by the API nor logged. */
export interface MinerCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * Credentials this instance cannot read (sealed with another key): kept as stored, so saving the
 * miner again loses nothing, and never sent to the device.
 */
export interface SealedCredentials {
  readonly sealed: string;
}

/** The login to send to the device, when the record has one this instance can read. */
export function usableCredentials(record: Pick<MinerRecord, 'credentials'>): MinerCredentials | undefined {
  const { credentials } = record;
  return credentials === null || 'sealed' in credentials ? undefined : credentials;
}

/** The stored subset of a sample: numbers only, so rollups can aggregate every column. */
export interface MetricRecord {
  readonly minerId: string;
  /** Epoch ms. */
  readonly timestamp: number;
  readonly hashrateGhs: number | null;
  readonly expectedHashrateGhs: number | null;
  readonly temperatureC: number | null;
  readonly vrTemperatureC: number | null;
  readonly powerW: number | null;
  readonly inputVoltageV: number | null;
  readonly fanRpm: number | null;
  readonly sharesAccepted: number | null;
  readonly sharesRejected: number | null;
  readonly bestDifficulty: number | null;
  readonly sessionBestDifficulty: number | null;
  readonly uptimeS: number | null;
  readonly backfilled: boolean;
}

/** Columns that series queries can aggregate. */
export const METRIC_FIELDS = [
  'hashrateGhs',
  'expectedHashrateGhs',
  'temperatureC',
  'vrTemperatureC',
  'powerW',
  'inputVoltageV',
  'fanRpm',
  'sharesAccepted',
  'sharesRejected',
  'bestDifficulty',
  'sessionBestDifficulty',
  'uptimeS',
] as const;
export type MetricField = (typeof METRIC_FIELDS)[number];

export interface Aggregate {
  readonly avg: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

export interface SeriesPoint {
  /** Start of the bucket, epoch ms. */
  readonly timestamp: number;
  /** Raw samples the bucket summarises. */
  readonly count: number;
  readonly values: Readonly<Record<MetricField, Aggregate>>;
}

export interface SeriesQuery {
  readonly from: number;
  readonly to: number;
  /** Upper bound on the number of buckets returned. */
  readonly points: number;
}

export interface Series {
  readonly from: number;
  readonly to: number;
  readonly bucketMs: number;
  /** Which table answered: raw rows, minute rollups or hour rollups. */
  readonly source: 'raw' | 'minute' | 'hour';
  readonly points: readonly SeriesPoint[];
}

export interface FleetPoint {
  readonly timestamp: number;
  /** Sum over miners of each miner's average in the bucket. */
  readonly hashrateGhs: number;
  readonly expectedHashrateGhs: number;
  readonly powerW: number;
  readonly miners: number;
}

/** Least to most urgent; notification routing ranks by this order. */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface EventRecord {
  readonly id?: number;
  readonly minerId: string | null;
  readonly type: string;
  readonly severity: Severity;
  readonly message: string;
  readonly timestamp: number;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface AlertRecord {
  /** Stable key of the condition, e.g. `overheating:<minerId>`; one open alert per key. */
  readonly key: string;
  readonly minerId: string | null;
  readonly condition: string;
  readonly severity: Severity;
  readonly message: string;
  readonly openedAt: number;
  readonly lastNotifiedAt: number | null;
  readonly notifications: number;
  /** Null while the condition holds. */
  readonly clearedAt: number | null;
}

export interface BestDifficultyRecord {
  readonly minerId: string;
  readonly bestDifficulty: number;
  readonly achievedAt: number;
}

export interface BreakerSnapshotRecord {
  readonly name: string;
  /** The breaker's own `toJSON()`; storage does not interpret it. */
  readonly snapshot: Readonly<Record<string, unknown>>;
  readonly savedAt: number;
}

export interface StorageStats {
  /** Samples accepted and waiting to be written. */
  readonly queued: number;
  readonly maxQueued: number;
  readonly accepted: number;
  readonly written: number;
  /** Samples refused because the queue was full while the database was unavailable. */
  readonly dropped: number;
  readonly flushes: number;
  readonly flushFailures: number;
  readonly lastFlushAt: number | null;
  readonly lastError: string | null;
  /** False while writes are failing. */
  readonly available: boolean;
}

export interface SaveResult {
  readonly accepted: number;
  readonly dropped: number;
}

export interface StorageHealth {
  readonly ok: boolean;
  readonly detail: string;
  readonly stats: StorageStats;
  /** State of the `database` circuit breaker, when the implementation goes through one. */
  readonly breaker?: 'closed' | 'open' | 'half_open';
}

export interface Storage extends AsyncDisposable {
  initialize(): Promise<void>;
  saveMinerConfig(miner: MinerRecord): Promise<void>;
  getMinerConfig(id: string): Promise<MinerRecord | null>;
  findMinerByMac(mac: string): Promise<MinerRecord | null>;
  listMiners(): Promise<MinerRecord[]>;
  /** Returns false when no such miner. History is kept unless `dropHistory`. */
  deleteMiner(id: string, options?: { dropHistory?: boolean }): Promise<boolean>;

  /**
   * Accepts samples into the write-behind queue and resolves at once. Accepted samples are never
   * lost to a database hiccup; they become durable when a later `flush()` resolves.
   */
  saveMetrics(samples: readonly MetricRecord[]): Promise<SaveResult>;
  /**
   * Resolves when everything accepted before the call is durable; rejects if it cannot be.
   * Aborting `signal` ends the wait (rejecting with its reason); the samples stay accepted.
   */
  flush(options?: { signal?: AbortSignal }): Promise<void>;
  querySeries(minerId: string, query: SeriesQuery): Promise<Series>;
  queryFleetSeries(query: SeriesQuery): Promise<FleetPoint[]>;
  latestMetric(minerId: string): Promise<MetricRecord | null>;

  recordEvent(event: EventRecord): Promise<number>;
  listEvents(query?: { minerId?: string; limit?: number; before?: number }): Promise<EventRecord[]>;
  upsertAlert(alert: AlertRecord): Promise<void>;
  listAlerts(query?: { minerId?: string; openOnly?: boolean; limit?: number }): Promise<AlertRecord[]>;

  /** Raises the all-time best when `value` beats it; returns true if it did. */
  updateBestDifficulty(minerId: string, value: number, at: number): Promise<boolean>;
  getBestDifficulty(minerId: string): Promise<BestDifficultyRecord | null>;

  saveBreakerSnapshots(snapshots: readonly BreakerSnapshotRecord[]): Promise<void>;
  loadBreakerSnapshots(): Promise<BreakerSnapshotRecord[]>;

  /** Deletes what retention allows, in bounded steps; returns rows removed. */
  runRetention(): Promise<number>;
  stats(): StorageStats;
  health(): Promise<StorageHealth>;
  close(): Promise<void>;
}
