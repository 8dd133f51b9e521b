/**
 * The write-behind queue. `add` accepts samples at once (up to `maxQueued` held in memory) and
 * counts what it refuses; batches are written in FIFO order by one pump at a time; `flush`
 * resolves once every sample accepted before it is committed. A batch that fails (after the
 * retries inside `write`) goes back to the head of the queue, so an accepted sample is written
 * eventually or reported as lost at close, never dropped in between.
 */
import type { DropEvent } from './options.js';
import type { MetricRecord, StorageStats } from './Storage.js';

export interface WriteQueueOptions {
  readonly batchSize: number;
  readonly maxQueued: number;
  /** Writes one batch durably (retried and through the breaker); resolves with rows inserted. */
  readonly write: (batch: readonly MetricRecord[]) => Promise<number>;
  readonly now: () => number;
  readonly onDrop?: ((event: DropEvent) => void) | undefined;
  readonly onError?: ((error: unknown) => void) | undefined;
}

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export class WriteQueue {
  readonly #options: WriteQueueOptions;
  #pending: MetricRecord[] = [];
  #inFlight = 0;
  #accepted = 0;
  /** Samples committed (or found already stored); FIFO makes it a sequence number. */
  #done = 0;
  #inserted = 0;
  #dropped = 0;
  #flushes = 0;
  #flushFailures = 0;
  #lastFlushAt: number | null = null;
  #lastError: string | null = null;
  #available = true;
  #pump: Promise<void> | null = null;
  /** Whether the running pump writes a partial last batch (flush and timer) or full ones only. */
  #drainAll = false;
  #waiters: Waiter[] = [];

  constructor(options: WriteQueueOptions) {
    this.#options = options;
  }

  get queued(): number {
    return this.#pending.length + this.#inFlight;
  }

  get available(): boolean {
    return this.#available;
  }

  /** Accepts what fits and refuses the rest (counted and reported). */
  add(samples: readonly MetricRecord[]): { accepted: number; dropped: number } {
    const room = Math.max(0, this.#options.maxQueued - this.queued);
    const accepted = Math.min(room, samples.length);
    const dropped = samples.length - accepted;
    if (accepted === samples.length) {
      for (const sample of samples) this.#pending.push(sample);
    } else {
      for (let i = 0; i < accepted; i += 1) this.#pending.push(samples[i] as MetricRecord);
    }
    this.#accepted += accepted;
    if (dropped > 0) this.#drop(dropped, 'queue_full');
    // A full batch is written now while the database is healthy; while it is failing, the
    // periodic flush paces the attempts instead of every caller hammering it.
    if (this.#available && this.#pending.length >= this.#options.batchSize) void this.kick(false);
    return { accepted, dropped };
  }

  /**
   * Starts a pump unless one runs; never rejects (errors reach waiters and onError). With `all`
   * it also writes the last partial batch; without, full batches only, so a busy producer keeps
   * getting full-sized transactions.
   */
  kick(all = true): Promise<void> {
    if (all) this.#drainAll = true;
    if (this.#pump === null && this.#pending.length > 0) {
      this.#pump = this.#run().finally(() => {
        this.#pump = null;
        this.#drainAll = false;
      });
    }
    return this.#pump ?? Promise.resolve();
  }

  /**
   * Resolves when every sample accepted before the call is committed; rejects if a write fails.
   * Aborting `signal` stops the wait (rejecting with its reason); the samples stay queued.
   */
  flush(signal?: AbortSignal): Promise<void> {
    const target = this.#accepted;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#done >= target) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== entry);
        reject(signal?.reason);
      };
      const entry: Waiter = {
        target,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(entry);
    });
    void this.kick(true);
    return done;
  }

  /** Resolves when no pump is running (a failed flush rejects its waiters just before). */
  idle(): Promise<void> {
    return this.#pump ?? Promise.resolve();
  }

  /**
   * Writes what is queued now with `write`, without the retries or the breaker
   * of the normal path: close()'s last chance when a breaker, still cooling down after an outage,
   * refuses a database that has meanwhile recovered. Rejects (keeping the rest queued) on failure.
   */
  async writeRemaining(write: (batch: readonly MetricRecord[]) => number | Promise<number>): Promise<void> {
    if (this.#pump !== null) throw new Error('writeRemaining while a flush is running');
    while (this.#pending.length > 0) {
      const batch = this.#pending.slice(0, this.#options.batchSize);
      this.#inserted += await write(batch);
      this.#pending.splice(0, batch.length);
      this.#committed(batch.length);
    }
  }

  /** Samples that can no longer be written (at close): counted as dropped and reported. */
  abandon(): number {
    const lost = this.#pending.length;
    this.#pending = [];
    if (lost > 0) this.#drop(lost, 'closed');
    return lost;
  }

  /** Newest queued sample of a miner, if any (they are accepted, so reads should see them). */
  latestQueued(minerId: string): MetricRecord | null {
    let latest: MetricRecord | null = null;
    for (let i = this.#pending.length - 1; i >= 0; i -= 1) {
      const sample = this.#pending[i] as MetricRecord;
      if (sample.minerId === minerId && (latest === null || sample.timestamp > latest.timestamp))
        latest = sample;
    }
    return latest;
  }

  stats(): StorageStats {
    return {
      queued: this.queued,
      maxQueued: this.#options.maxQueued,
      accepted: this.#accepted,
      written: this.#inserted,
      dropped: this.#dropped,
      flushes: this.#flushes,
      flushFailures: this.#flushFailures,
      lastFlushAt: this.#lastFlushAt,
      lastError: this.#lastError,
      available: this.#available,
    };
  }

  #drop(count: number, reason: DropEvent['reason']): void {
    this.#dropped += count;
    this.#options.onDrop?.({
      dropped: count,
      totalDropped: this.#dropped,
      queued: this.queued,
      maxQueued: this.#options.maxQueued,
      reason,
    });
  }

  async #run(): Promise<void> {
    const batchSize = this.#options.batchSize;
    while (this.#pending.length >= batchSize || (this.#drainAll && this.#pending.length > 0)) {
      const batch = this.#pending.splice(0, batchSize);
      this.#inFlight = batch.length;
      try {
        this.#inserted += await this.#options.write(batch);
      } catch (error) {
        this.#pending = batch.concat(this.#pending);
        this.#inFlight = 0;
        this.#flushFailures += 1;
        this.#lastError = message(error);
        this.#available = false;
        this.#settle(true, error);
        this.#options.onError?.(error);
        return;
      }
      this.#inFlight = 0;
      this.#committed(batch.length);
    }
  }

  #committed(count: number): void {
    this.#done += count;
    this.#flushes += 1;
    this.#lastFlushAt = this.#options.now();
    this.#available = true;
    this.#settle(false, undefined);
  }

  /** Resolves the waiters whose samples are all committed; on a failure rejects the others. */
  #settle(failed: boolean, error: unknown): void {
    const keep: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (this.#done >= waiter.target) waiter.resolve();
      else if (failed) waiter.reject(error);
      else keep.push(waiter);
    }
    this.#waiters = keep;
  }
}
