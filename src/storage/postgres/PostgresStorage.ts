/**
 * `Storage` on PostgreSQL: numbered migrations, the same write-behind queue as SQLite
 * (WriteQueue), write-time rollups computed by the server in the insert statement, chart
 * queries from the rollups, and bounded retention. Every database call goes through
 * `retryDatabaseOperation` (breaker `database`), so a server that goes away mid-run is retried
 * and its samples wait in the queue (up to `maxQueued`, the rest counted as dropped).
 */
import {
  type CircuitState,
  type Clock,
  type RetryManager,
  retryDatabaseOperation,
  retryManager,
  systemClock,
  ValidationError,
} from '../../resilience/index.js';
import { describe } from '../attempt.js';
import { planBuckets } from '../bucketPlan.js';
import { StorageError } from '../errors.js';
import type {
  AlertRecord,
  BestDifficultyRecord,
  BreakerSnapshotRecord,
  EventRecord,
  FleetPoint,
  MetricRecord,
  MinerRecord,
  SaveResult,
  Series,
  SeriesQuery,
  Storage,
  StorageHealth,
  StorageStats,
} from '../Storage.js';
import { repeat } from '../ticker.js';
import {
  checkAlert,
  checkBest,
  checkEvent,
  checkId,
  checkMetric,
  checkMiner,
  checkSnapshots,
} from '../validate.js';
import { WriteQueue } from '../WriteQueue.js';
import { nameRefusal, runPgAttempt, translatePgError } from './attempt.js';
import { migratePg } from './migrations.js';
import {
  type PostgresStorageOptions,
  type ResolvedPostgresOptions,
  resolvePostgresOptions,
} from './options.js';
import { PgMetricWriter } from './PgMetricWriter.js';
import { PgRecordStore } from './PgRecordStore.js';
import { PgRetention } from './PgRetention.js';
import { PgSeriesReader } from './PgSeriesReader.js';
import { createPgClient } from './pgClient.js';
import type { SqlClient } from './SqlClient.js';

export class PostgresStorage implements Storage {
  /** The server as messages name it: `postgres://user@host:port/db (schema s)`, no password. */
  readonly server: string;
  readonly #options: ResolvedPostgresOptions;
  readonly #clock: Clock;
  readonly #manager: RetryManager;
  readonly #client: SqlClient;
  readonly #queue: WriteQueue;
  readonly #call: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly #initializeOnce: (fn: () => Promise<void>) => Promise<void>;
  readonly #onError: PostgresStorageOptions['onError'];
  readonly #abort = new AbortController();
  readonly #writer: PgMetricWriter;
  readonly #records: PgRecordStore;
  readonly #reader: PgSeriesReader;
  readonly #retention: PgRetention;
  #open = false;
  #initializing: Promise<void> | null = null;
  #closing: Promise<void> | null = null;
  #retentionRun: Promise<number> | null = null;
  #schemaVersion = 0;
  #migratedFrom = 0;

  constructor(options: PostgresStorageOptions) {
    this.#options = resolvePostgresOptions(options);
    this.server = this.#options.server;
    this.#clock = options.clock ?? systemClock;
    this.#manager = options.manager ?? retryManager;
    this.#onError = options.onError;
    this.#client =
      options.client ??
      createPgClient({
        url: this.#options.url,
        schema: this.#options.schema,
        maxConnections: this.#options.maxConnections,
        connectTimeoutMs: this.#options.connectTimeoutMs,
      });
    const shared = {
      manager: this.#manager,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.random === undefined ? {} : { random: options.random }),
    };
    const retried = retryDatabaseOperation({ ...options.retry, ...shared })(
      async <T>(fn: () => Promise<T>): Promise<T> => runPgAttempt(this.server, fn),
    );
    const call = <T>(fn: () => Promise<T>): Promise<T> =>
      retried(fn).catch((error: unknown) => Promise.reject(nameRefusal(error, this.server)));
    this.#call = call;
    const initializeOnce = retryDatabaseOperation({ ...options.retry, maxAttempts: 5, ...shared })(
      async (fn: () => Promise<void>): Promise<void> => runPgAttempt(this.server, fn),
    );
    this.#initializeOnce = (fn) =>
      initializeOnce(fn).catch((error: unknown) => Promise.reject(nameRefusal(error, this.server)));
    // Two parts of a batch in flight (a transaction each, on two connections) keep a small
    // server's two cores busy; more would only queue there, and the other connections stay free
    // for reads.
    this.#writer = new PgMetricWriter(this.#client, Math.min(2, this.#options.maxConnections));
    this.#records = new PgRecordStore(this.#client, options.credentialSeal ?? null);
    this.#reader = new PgSeriesReader(this.#client);
    this.#retention = new PgRetention(this.#client);
    this.#queue = new WriteQueue({
      batchSize: this.#options.batchSize,
      maxQueued: this.#options.maxQueued,
      write: (batch) => call(() => this.#writer.write(batch)),
      now: () => this.#clock.now(),
      onDrop: options.onDrop,
      onError: (error) => this.#onError?.({ operation: 'flush', error }),
    });
  }

  /** Schema version of the database (0 before initialize). */
  get schemaVersion(): number {
    return this.#schemaVersion;
  }

  /** Schema version the database had before initialize migrated it (0 for a new one). */
  get migratedFrom(): number {
    return this.#migratedFrom;
  }

  /** The connection, for the parts of the app that keep their own tables here (instance leases). */
  get client(): SqlClient {
    return this.#client;
  }

  /** Connects, migrates and starts the background jobs; retried (5 attempts). Safe to call twice. */
  initialize(): Promise<void> {
    this.#initializing ??= this.#start().catch((error: unknown) => {
      this.#initializing = null;
      throw error;
    });
    return this.#initializing;
  }

  async #start(): Promise<void> {
    if (this.#closing !== null) throw this.#closedError();
    await this.#initializeOnce(async () => {
      const schema = this.#options.schema;
      if (schema !== null) {
        await this.#client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error: unknown) => {
          // Two instances creating it at once: one wins, the other finds it there.
          const code = (error as { code?: unknown }).code;
          if (code !== '23505' && code !== '42P06') throw error;
        });
      }
      const { from, to } = await migratePg(this.#client, this.server, this.#clock.now());
      this.#migratedFrom = from;
      this.#schemaVersion = to;
    });
    this.#open = true;
    const signal = this.#abort.signal;
    if (signal.aborted) return;
    const clock = this.#clock === systemClock ? undefined : this.#clock;
    repeat(this.#options.flushIntervalMs, () => this.#queue.kick(), signal, clock);
    if (this.#options.retentionIntervalMs > 0) {
      repeat(
        this.#options.retentionIntervalMs,
        () =>
          this.runRetention().then(
            () => undefined,
            (error: unknown) => this.#onError?.({ operation: 'retention', error }),
          ),
        signal,
        clock,
      );
    }
  }

  #closedError(): StorageError {
    return new StorageError('CLOSED', `Storage ${this.server} is closed`, { path: this.server });
  }

  /** Refuses a public call before initialize() or once close() has begun. */
  #require(): void {
    if (this.#closing !== null) throw this.#closedError();
    if (this.#open) return;
    throw new StorageError('NOT_INITIALIZED', `Storage ${this.server} is used before initialize()`, {
      path: this.server,
    });
  }

  async saveMinerConfig(miner: MinerRecord): Promise<void> {
    checkMiner(miner);
    this.#require();
    await this.#call(() => this.#records.saveMiner(miner));
  }

  async getMinerConfig(id: string): Promise<MinerRecord | null> {
    checkId('id', id);
    this.#require();
    return this.#call(() => this.#records.getMiner(id));
  }

  async findMinerByMac(mac: string): Promise<MinerRecord | null> {
    checkId('mac', mac);
    this.#require();
    return this.#call(() => this.#records.findByMac(mac));
  }

  async listMiners(): Promise<MinerRecord[]> {
    this.#require();
    return this.#call(() => this.#records.listMiners());
  }

  async deleteMiner(id: string, options: { dropHistory?: boolean } = {}): Promise<boolean> {
    checkId('id', id);
    this.#require();
    // Queued samples of this miner would bring its history back after the drop.
    if (options.dropHistory === true) await this.#queue.flush();
    const existed = await this.#call(() => this.#records.deleteMiner(id));
    if (options.dropHistory === true) {
      await this.#call(() => this.#writer.dropSeries(id));
      await this.#call(() => this.#records.dropMinerHistory(id));
    }
    return existed;
  }

  /**
   * Accepts samples into the write-behind queue and resolves at once with how many were taken;
   * the rest (only when `maxQueued` samples are already held) are refused, counted in
   * `stats().dropped` and reported to `onDrop`. Durable once a later `flush()` resolves.
   */
  async saveMetrics(samples: readonly MetricRecord[]): Promise<SaveResult> {
    if (!Array.isArray(samples)) throw new ValidationError('saveMetrics expects an array of samples');
    samples.forEach(checkMetric);
    this.#require();
    return this.#queue.add(samples);
  }

  async flush(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (!this.#open) this.#require();
    await this.#queue.flush(options.signal);
  }

  async querySeries(minerId: string, query: SeriesQuery): Promise<Series> {
    checkId('minerId', minerId);
    const plan = planBuckets(query, this.#clock.now(), this.#options.retention);
    this.#require();
    const points = await this.#call(async () => {
      const series = await this.#writer.seriesKey(minerId);
      return series === undefined ? [] : this.#reader.points(series, plan, query.to);
    });
    return { from: query.from, to: query.to, bucketMs: plan.bucketMs, source: plan.source, points };
  }

  async queryFleetSeries(query: SeriesQuery): Promise<FleetPoint[]> {
    const plan = planBuckets(query, this.#clock.now(), this.#options.retention);
    this.#require();
    return this.#call(() => this.#reader.fleet(plan, query.to));
  }

  /** The newest sample of a miner, queued ones included (they are accepted). */
  async latestMetric(minerId: string): Promise<MetricRecord | null> {
    checkId('minerId', minerId);
    this.#require();
    const stored = await this.#call(async () => {
      const series = await this.#writer.seriesKey(minerId);
      return series === undefined ? null : this.#reader.latest(series, minerId);
    });
    const queued = this.#queue.latestQueued(minerId);
    if (queued === null) return stored;
    return stored === null || queued.timestamp >= stored.timestamp ? queued : stored;
  }

  async recordEvent(event: EventRecord): Promise<number> {
    checkEvent(event);
    this.#require();
    return this.#call(() => this.#records.recordEvent(event));
  }

  async listEvents(
    query: { minerId?: string; limit?: number; before?: number } = {},
  ): Promise<EventRecord[]> {
    this.#require();
    return this.#call(() => this.#records.listEvents(query));
  }

  async upsertAlert(alert: AlertRecord): Promise<void> {
    checkAlert(alert);
    this.#require();
    await this.#call(() => this.#records.upsertAlert(alert));
  }

  async listAlerts(
    query: { minerId?: string; openOnly?: boolean; limit?: number } = {},
  ): Promise<AlertRecord[]> {
    this.#require();
    return this.#call(() => this.#records.listAlerts(query));
  }

  async updateBestDifficulty(minerId: string, value: number, at: number): Promise<boolean> {
    checkBest(minerId, value, at);
    this.#require();
    return this.#call(() => this.#records.raiseBest(minerId, value, at));
  }

  async getBestDifficulty(minerId: string): Promise<BestDifficultyRecord | null> {
    checkId('minerId', minerId);
    this.#require();
    return this.#call(() => this.#records.getBest(minerId));
  }

  /** Replaces the stored set with these snapshots (breakers gone from the app go from the database). */
  async saveBreakerSnapshots(snapshots: readonly BreakerSnapshotRecord[]): Promise<void> {
    checkSnapshots(snapshots);
    this.#require();
    await this.#call(() => this.#records.replaceSnapshots(snapshots));
  }

  async loadBreakerSnapshots(): Promise<BreakerSnapshotRecord[]> {
    this.#require();
    return this.#call(() => this.#records.listSnapshots());
  }

  /** Deletes what retention allows, in bounded steps; a run already going is joined, not doubled. */
  runRetention(): Promise<number> {
    if (this.#retentionRun !== null) return this.#retentionRun;
    try {
      this.#require();
    } catch (error) {
      return Promise.reject(error);
    }
    this.#retentionRun = this.#retention
      .run({
        policy: this.#options.retention,
        nowMs: this.#clock.now(),
        chunk: this.#options.retentionChunk,
        call: this.#call,
        signal: this.#abort.signal,
      })
      .finally(() => {
        this.#retentionRun = null;
      });
    return this.#retentionRun;
  }

  stats(): StorageStats {
    return this.#queue.stats();
  }

  /** Runs a trivial query directly (not through the breaker, so it shows the truth even when open). */
  async health(): Promise<StorageHealth> {
    const stats = this.stats();
    const breaker: CircuitState = this.#manager.has('database')
      ? this.#manager.getCircuitBreaker('database').state
      : 'closed';
    let answered = false;
    let problem = 'not initialized';
    if (this.#open && this.#closing === null) {
      try {
        await this.#client.query('SELECT 1');
        answered = true;
      } catch (error) {
        problem = `does not answer: ${describe(translatePgError(error, this.server))}`;
      }
    } else if (this.#closing !== null) {
      problem = 'closed';
    }
    const ok = answered && stats.available && breaker !== 'open';
    const state = answered ? `ok (schema v${this.#schemaVersion})` : problem;
    const writes = stats.available ? '' : `; writes failing: ${stats.lastError ?? 'unknown error'}`;
    const detail = `database ${this.server} ${state}; breaker ${breaker}; ${stats.queued} queued, ${stats.dropped} dropped${writes}`;
    return { ok, detail, stats, breaker };
  }

  /**
   * Stops the background jobs, drains the queue and closes the pool. When the normal flush fails
   * (or an open breaker refuses it), one last direct write is tried; if that fails too, the
   * samples left are counted as dropped (onDrop, reason `closed`) and close rejects with an
   * UNFLUSHED StorageError after closing the pool anyway.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#abort.abort();
    await this.#initializing?.catch(() => undefined);
    await this.#retentionRun?.catch(() => undefined);
    let failure: StorageError | undefined;
    if (this.#open) {
      try {
        await this.#queue.flush();
      } catch {
        await this.#queue.idle();
        try {
          await this.#queue.writeRemaining((batch) =>
            runPgAttempt(this.server, () => this.#writer.write(batch)),
          );
        } catch (lastError) {
          failure = this.#unflushed(lastError);
        }
      }
    }
    this.#open = false;
    await this.#client.close().catch(() => undefined);
    if (failure !== undefined) throw failure;
  }

  #unflushed(error: unknown): StorageError {
    const lost = this.#queue.abandon();
    return new StorageError(
      'UNFLUSHED',
      `${lost} accepted samples could not be written to ${this.server} before closing: ${describe(error)}`,
      { path: this.server, cause: error },
    );
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
