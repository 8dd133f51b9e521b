/**
 * `Storage` on SQLite (better-sqlite3): WAL, numbered migrations, a write-behind metrics queue
 * with write-time rollups, chart queries served from the rollups, and bounded retention. Every
 * database call goes through `retryDatabaseOperation` (breaker `database`). See README.md for the
 * schema, the acknowledgement semantics and retention.
 */
import {
  type CircuitState,
  type Clock,
  type RetryManager,
  retryDatabaseOperation,
  retryManager,
  systemClock,
  ValidationError,
} from '../resilience/index.js';
import { describe, runAttempt } from './attempt.js';
import { planBuckets } from './bucketPlan.js';
import { StorageError } from './errors.js';
import type { CredentialSeal } from './minerColumns.js';
import { type ResolvedOptions, resolveOptions, type SqliteStorageOptions } from './options.js';
import { type OpenedParts, openParts, type Parts } from './parts.js';
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
} from './Storage.js';
import { repeat } from './ticker.js';
import {
  checkAlert,
  checkBest,
  checkEvent,
  checkId,
  checkMetric,
  checkMiner,
  checkSnapshots,
} from './validate.js';
import { WriteQueue } from './WriteQueue.js';

export class SqliteStorage implements Storage {
  readonly path: string;
  readonly #options: ResolvedOptions;
  readonly #clock: Clock;
  readonly #manager: RetryManager;
  readonly #queue: WriteQueue;
  readonly #call: <T>(fn: () => T) => Promise<T>;
  readonly #initializeOnce: (fn: () => OpenedParts) => Promise<OpenedParts>;
  readonly #onError: SqliteStorageOptions['onError'];
  readonly #credentialSeal: CredentialSeal | null;
  readonly #abort = new AbortController();
  #parts: Parts | null = null;
  #initializing: Promise<void> | null = null;
  #closing: Promise<void> | null = null;
  #retentionRun: Promise<number> | null = null;
  #schemaVersion = 0;
  #migratedFrom = 0;

  constructor(options: SqliteStorageOptions) {
    this.#options = resolveOptions(options);
    this.path = this.#options.path;
    this.#clock = options.clock ?? systemClock;
    this.#manager = options.manager ?? retryManager;
    this.#onError = options.onError;
    this.#credentialSeal = options.credentialSeal ?? null;
    const shared = {
      manager: this.#manager,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.random === undefined ? {} : { random: options.random }),
    };
    const call = retryDatabaseOperation({ ...options.retry, ...shared })(
      async <T>(fn: () => T): Promise<T> => this.#run(fn),
    );
    this.#call = call;
    this.#initializeOnce = retryDatabaseOperation({ ...options.retry, maxAttempts: 5, ...shared })(
      async (fn: () => OpenedParts): Promise<OpenedParts> => fn(),
    );
    this.#queue = new WriteQueue({
      batchSize: this.#options.batchSize,
      maxQueued: this.#options.maxQueued,
      write: (batch) => call(() => this.#writerParts().writer.write(batch)),
      now: () => this.#clock.now(),
      onDrop: options.onDrop,
      onError: (error) => this.#onError?.({ operation: 'flush', error }),
    });
  }

  /** Schema version of the open file (0 before initialize). */
  get schemaVersion(): number {
    return this.#schemaVersion;
  }

  /** Schema version the file had before initialize migrated it (0 for a new file). */
  get migratedFrom(): number {
    return this.#migratedFrom;
  }

  /** Opens, migrates and starts the background jobs; retried (5 attempts). Safe to call twice. */
  initialize(): Promise<void> {
    // A failed start-up may be tried again (after the operator fixed the file).
    this.#initializing ??= this.#open().catch((error: unknown) => {
      this.#initializing = null;
      throw error;
    });
    return this.#initializing;
  }

  async #open(): Promise<void> {
    if (this.#closing !== null) throw this.#closedError();
    const opened = await this.#initializeOnce(() =>
      openParts(
        {
          path: this.path,
          busyTimeoutMs: this.#options.busyTimeoutMs,
          synchronous: this.#options.synchronous,
          cacheSizeKiB: this.#options.cacheSizeKiB,
          now: this.#clock.now(),
        },
        this.#credentialSeal,
      ),
    );
    this.#schemaVersion = opened.version;
    this.#migratedFrom = opened.migratedFrom;
    const parts = opened.parts;
    this.#parts = parts;
    const signal = this.#abort.signal;
    if (signal.aborted) return;
    const clock = this.#clockOption();
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

  #clockOption(): Clock | undefined {
    return this.#clock === systemClock ? undefined : this.#clock;
  }

  #closedError(): StorageError {
    return new StorageError('CLOSED', `Storage ${this.path} is closed`, { path: this.path });
  }

  /** The open database for a public call; refuses once close() has begun. */
  #require(): Parts {
    if (this.#closing !== null) throw this.#closedError();
    if (this.#parts !== null) return this.#parts;
    throw new StorageError('NOT_INITIALIZED', `Storage ${this.path} is used before initialize()`, {
      path: this.path,
    });
  }

  /** The open database for the queue, which keeps writing while close() drains it. */
  #writerParts(): Parts {
    if (this.#parts !== null) return this.#parts;
    throw this.#closedError();
  }

  /** One attempt of a database call; SQLite's "unavailable" failures become retryable errors. */
  #run<T>(fn: () => T): T {
    return runAttempt(this.path, fn);
  }

  async saveMinerConfig(miner: MinerRecord): Promise<void> {
    checkMiner(miner);
    const { records } = this.#require();
    await this.#call(() => records.saveMiner(miner));
  }

  async getMinerConfig(id: string): Promise<MinerRecord | null> {
    checkId('id', id);
    const { records } = this.#require();
    return this.#call(() => records.getMiner(id));
  }

  async findMinerByMac(mac: string): Promise<MinerRecord | null> {
    checkId('mac', mac);
    const { records } = this.#require();
    return this.#call(() => records.findByMac(mac));
  }

  async listMiners(): Promise<MinerRecord[]> {
    const { records } = this.#require();
    return this.#call(() => records.listMiners());
  }

  async deleteMiner(id: string, options: { dropHistory?: boolean } = {}): Promise<boolean> {
    checkId('id', id);
    const { records, writer } = this.#require();
    // Queued samples of this miner would bring its history back after the drop.
    if (options.dropHistory === true) await this.#queue.flush();
    return this.#call(() => {
      const existed = records.deleteMiner(id);
      if (options.dropHistory === true) {
        writer.dropSeries(id);
        records.dropMinerHistory(id);
      }
      return existed;
    });
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

  /**
   * Resolves when every sample accepted before the call is committed; rejects if a write fails.
   * `signal` ends the wait early (rejecting with its reason) without giving up the samples.
   */
  async flush(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#parts === null) this.#require();
    await this.#queue.flush(options.signal);
  }

  async querySeries(minerId: string, query: SeriesQuery): Promise<Series> {
    checkId('minerId', minerId);
    const plan = planBuckets(query, this.#clock.now(), this.#options.retention);
    const { writer, reader } = this.#require();
    const points = await this.#call(() => {
      const series = writer.seriesKey(minerId);
      return series === undefined ? [] : reader.points(series, plan, query.to);
    });
    return { from: query.from, to: query.to, bucketMs: plan.bucketMs, source: plan.source, points };
  }

  async queryFleetSeries(query: SeriesQuery): Promise<FleetPoint[]> {
    const plan = planBuckets(query, this.#clock.now(), this.#options.retention);
    const { reader } = this.#require();
    return this.#call(() => reader.fleet(plan, query.to));
  }

  /** The newest sample of a miner, queued ones included (they are accepted). */
  async latestMetric(minerId: string): Promise<MetricRecord | null> {
    checkId('minerId', minerId);
    const { writer, reader } = this.#require();
    const stored = await this.#call(() => {
      const series = writer.seriesKey(minerId);
      return series === undefined ? null : reader.latest(series, minerId);
    });
    const queued = this.#queue.latestQueued(minerId);
    if (queued === null) return stored;
    return stored === null || queued.timestamp >= stored.timestamp ? queued : stored;
  }

  async recordEvent(event: EventRecord): Promise<number> {
    checkEvent(event);
    const { records } = this.#require();
    return this.#call(() => records.recordEvent(event));
  }

  async listEvents(
    query: { minerId?: string; limit?: number; before?: number } = {},
  ): Promise<EventRecord[]> {
    const { records } = this.#require();
    return this.#call(() => records.listEvents(query));
  }

  async upsertAlert(alert: AlertRecord): Promise<void> {
    checkAlert(alert);
    const { records } = this.#require();
    await this.#call(() => records.upsertAlert(alert));
  }

  async listAlerts(
    query: { minerId?: string; openOnly?: boolean; limit?: number } = {},
  ): Promise<AlertRecord[]> {
    const { records } = this.#require();
    return this.#call(() => records.listAlerts(query));
  }

  async updateBestDifficulty(minerId: string, value: number, at: number): Promise<boolean> {
    checkBest(minerId, value, at);
    const { records } = this.#require();
    return this.#call(() => records.raiseBest(minerId, value, at));
  }

  async getBestDifficulty(minerId: string): Promise<BestDifficultyRecord | null> {
    checkId('minerId', minerId);
    const { records } = this.#require();
    return this.#call(() => records.getBest(minerId));
  }

  /** Replaces the stored set with these snapshots (breakers gone from the app go from the file). */
  async saveBreakerSnapshots(snapshots: readonly BreakerSnapshotRecord[]): Promise<void> {
    checkSnapshots(snapshots);
    const { records } = this.#require();
    await this.#call(() => records.replaceSnapshots(snapshots));
  }

  async loadBreakerSnapshots(): Promise<BreakerSnapshotRecord[]> {
    const { records } = this.#require();
    return this.#call(() => records.listSnapshots());
  }

  /** Deletes what retention allows, in bounded steps; a run already going is joined, not doubled. */
  runRetention(): Promise<number> {
    if (this.#retentionRun !== null) return this.#retentionRun;
    let parts: Parts;
    try {
      parts = this.#require();
    } catch (error) {
      return Promise.reject(error);
    }
    this.#retentionRun = parts.retention
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
    if (this.#parts !== null && this.#closing === null) {
      try {
        this.#parts.db.prepare('SELECT 1').get();
        answered = true;
      } catch (error) {
        problem = `does not answer: ${describe(error)}`;
      }
    } else if (this.#closing !== null) {
      problem = 'closed';
    }
    const ok = answered && stats.available && breaker !== 'open';
    const state = answered ? `ok (schema v${this.#schemaVersion})` : problem;
    const writes = stats.available ? '' : `; writes failing: ${stats.lastError ?? 'unknown error'}`;
    const detail = `database ${this.path} ${state}; breaker ${breaker}; ${stats.queued} queued, ${stats.dropped} dropped${writes}`;
    return { ok, detail, stats, breaker };
  }

  /**
   * Stops the background jobs, drains the queue and closes the file. When the normal flush fails
   * (or an open breaker refuses it), one last direct write is tried; if that fails too, the
   * samples left are counted as dropped (onDrop, reason `closed`) and close rejects with an
   * UNFLUSHED StorageError after closing the file anyway.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#abort.abort();
    await this.#initializing?.catch(() => undefined);
    await this.#retentionRun?.catch(() => undefined);
    const parts = this.#parts;
    if (parts === null) return;
    let failure: StorageError | undefined;
    try {
      await this.#queue.flush();
    } catch {
      await this.#queue.idle();
      try {
        await this.#queue.writeRemaining((batch) => this.#run(() => parts.writer.write(batch)));
      } catch (lastError) {
        failure = this.#unflushed(lastError);
      }
    }
    this.#parts = null;
    parts.db.close();
    if (failure !== undefined) throw failure;
  }

  #unflushed(error: unknown): StorageError {
    const lost = this.#queue.abandon();
    return new StorageError(
      'UNFLUSHED',
      `${lost} accepted samples could not be written to ${this.path} before closing: ${describe(error)}`,
      { path: this.path, cause: error },
    );
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
