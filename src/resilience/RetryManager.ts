/**
 * The registry of named breakers. Keyed breakers (one per miner) come and go, so idle pristine
 * breakers are dropped lazily: no timers, the sweep runs when the registry is used.
 *
 * One name, one breaker: a dropped breaker is remembered weakly, so while anyone still holds it
 * the registry gives that same instance for its name, and takes it back as soon as it is used.
 */
import {
  type BreakerStats,
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitBreakerSnapshot,
  type StateChangeEvent,
  type StateChangeListener,
} from './CircuitBreaker.js';
import { type Clock, systemClock } from './clock.js';
import type { CircuitBreakerConfig } from './config.js';

export interface RetryManagerOptions {
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * A closed breaker with no failures counted, no call in flight, and no call or reset for this
   * long may be dropped. `Infinity` keeps every breaker.
   * @default 600000
   */
  readonly maxIdleMs?: number;
}

/** Per-breaker options the registry passes on when it creates a breaker. */
export type ManagedBreakerOptions = Pick<CircuitBreakerOptions, 'isFailure' | 'halfOpenMaxCalls'>;

export const DEFAULT_MAX_IDLE_MS = 600_000;

export class RetryManager {
  readonly #breakers = new Map<string, CircuitBreaker>();
  /** Breakers dropped by a sweep or `delete`, while someone may still hold them. */
  readonly #dropped = new Map<string, WeakRef<CircuitBreaker>>();
  readonly #forget = new FinalizationRegistry<string>((name) => {
    if (this.#dropped.get(name)?.deref() === undefined) this.#dropped.delete(name);
  });
  readonly #listeners = new Set<StateChangeListener>();
  readonly #clock: Clock;
  readonly maxIdleMs: number;
  #lastSweepAt: number;
  /** One forwarding function shared by every breaker, so a breaker costs no closure. */
  readonly #forward = (event: StateChangeEvent, breaker: CircuitBreaker): void => {
    // A breaker that changes state is alive: if it was dropped while someone still held it,
    // take it back so stats never hide it.
    if (!this.#breakers.has(event.name)) this.#adopt(event.name, breaker);
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };

  /** What every breaker built here without options of its own gets: one object, not one each. */
  readonly #breakerOptions: CircuitBreakerOptions;

  constructor(options: RetryManagerOptions = {}) {
    const maxIdleMs = options.maxIdleMs ?? DEFAULT_MAX_IDLE_MS;
    if (typeof maxIdleMs !== 'number' || Number.isNaN(maxIdleMs) || maxIdleMs < 0) {
      throw new TypeError(`Expected \`maxIdleMs\` to be a number >= 0, got ${String(maxIdleMs)}`);
    }
    this.#clock = options.clock ?? systemClock;
    this.maxIdleMs = maxIdleMs;
    this.#lastSweepAt = this.#clock.now();
    this.#breakerOptions = { clock: this.#clock, onStateChange: this.#forward };
  }

  /** Number of breakers held now. */
  get size(): number {
    return this.#breakers.size;
  }

  /**
   * The breaker named `name`, created with `config` (and `options`) when it does not exist yet.
   * An existing breaker keeps the config it was created with.
   */
  getCircuitBreaker(
    name: string,
    config?: Partial<CircuitBreakerConfig>,
    options?: ManagedBreakerOptions,
  ): CircuitBreaker {
    const existing = this.#breakers.get(name);
    if (existing !== undefined) return existing;
    const held = this.#dropped.get(name)?.deref();
    if (held !== undefined) {
      this.#adopt(name, held);
      return held;
    }
    this.#maybeSweep();
    const breaker = new CircuitBreaker(
      name,
      config,
      options === undefined ? this.#breakerOptions : { ...options, ...this.#breakerOptions },
    );
    this.#breakers.set(name, breaker);
    return breaker;
  }

  has(name: string): boolean {
    return this.#breakers.has(name);
  }

  /** Names of the breakers held now. */
  names(): string[] {
    return [...this.#breakers.keys()];
  }

  /** Every breaker's stats, by name: every breaker held, and every dropped one used since. */
  getStats(): Record<string, BreakerStats> {
    this.#takeBackUsed();
    // Stats walk every breaker anyway, so sweeping here costs nothing extra.
    if (Number.isFinite(this.maxIdleMs)) this.evictIdle();
    const result: Record<string, BreakerStats> = {};
    for (const [name, breaker] of this.#breakers) result[name] = breaker.stats();
    return result;
  }

  /** Resets one breaker; false when there is none of that name. */
  reset(name: string): boolean {
    const breaker = this.#breakers.get(name);
    if (breaker === undefined) return false;
    breaker.reset();
    return true;
  }

  resetAll(): void {
    for (const breaker of this.#breakers.values()) breaker.reset();
  }

  /**
   * Drops a breaker now, whatever its state; true if it existed. Code that still holds the
   * instance can keep using it; if it then changes state, the registry takes it back.
   */
  delete(name: string): boolean {
    const breaker = this.#breakers.get(name);
    if (breaker === undefined) return false;
    this.#drop(name, breaker);
    return true;
  }

  /** Subscribes to state changes of every breaker this registry holds or will hold. */
  onStateChange(listener: StateChangeListener): () => void {
    const entry: StateChangeListener = (event) => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /**
   * Drops every breaker that the eviction rule allows and returns their names. Runs by itself
   * when the registry is used; exposed for callers that want to bound memory at a moment of their
   * choosing.
   */
  evictIdle(): string[] {
    const now = this.#clock.now();
    this.#lastSweepAt = now;
    const dropped: string[] = [];
    for (const [name, breaker] of this.#breakers) {
      if (this.#evictable(breaker, now)) {
        this.#drop(name, breaker);
        dropped.push(name);
      }
    }
    return dropped;
  }

  /** Snapshots of every breaker, for persistence (JSON-safe). */
  snapshot(): CircuitBreakerSnapshot[] {
    this.#takeBackUsed();
    return [...this.#breakers.values()].map((breaker) => breaker.toJSON());
  }

  /**
   * Writes saved snapshots into the breakers of the same names, creating those that do not exist
   * yet (with the saved config, and `options`). An existing breaker is never swapped: whoever
   * holds it sees the restored state (see `CircuitBreaker.restore`).
   */
  restore(snapshots: Iterable<CircuitBreakerSnapshot>, options?: ManagedBreakerOptions): void {
    for (const snapshot of snapshots) {
      const name = (snapshot as { name?: unknown } | null)?.name;
      const existing = typeof name === 'string' ? this.#lookUp(name) : undefined;
      if (existing !== undefined) {
        existing.restore(snapshot);
        continue;
      }
      const breaker = CircuitBreaker.fromJSON(snapshot, { ...options, ...this.#breakerOptions });
      this.#breakers.set(breaker.name, breaker);
    }
  }

  /** The breaker of that name, held or dropped but still alive (taken back), or undefined. */
  #lookUp(name: string): CircuitBreaker | undefined {
    const held = this.#breakers.get(name);
    if (held !== undefined) return held;
    const dropped = this.#dropped.get(name)?.deref();
    if (dropped !== undefined) this.#adopt(name, dropped);
    return dropped;
  }

  #adopt(name: string, breaker: CircuitBreaker): void {
    this.#dropped.delete(name);
    this.#forget.unregister(breaker);
    this.#breakers.set(name, breaker);
  }

  #drop(name: string, breaker: CircuitBreaker): void {
    this.#breakers.delete(name);
    this.#dropped.set(name, new WeakRef(breaker));
    this.#forget.register(breaker, name, breaker);
  }

  /** Dropped breakers that someone used since (a call, a failure): back into the registry. */
  #takeBackUsed(): void {
    for (const [name, ref] of this.#dropped) {
      const breaker = ref.deref();
      if (breaker !== undefined && !this.#evictable(breaker, this.#clock.now())) this.#adopt(name, breaker);
    }
  }

  #evictable(breaker: CircuitBreaker, now: number): boolean {
    if (!breaker.isPristine) return false;
    return now - breaker.lastActivityAt >= this.maxIdleMs;
  }

  #maybeSweep(): void {
    if (!Number.isFinite(this.maxIdleMs)) return;
    const now = this.#clock.now();
    // Sweeping at most every quarter of maxIdleMs keeps creation O(1) amortized with 10,000
    // breakers while no breaker outlives its idle time by more than a quarter.
    if (now - this.#lastSweepAt < this.maxIdleMs / 4) return;
    this.evictIdle();
  }
}

/** The process-wide registry that names given to `retry` and the decorators resolve in. */
export const retryManager: RetryManager = new RetryManager();

/** Every breaker's stats in the global registry, by name. */
export function getRetryStats(): Record<string, BreakerStats> {
  return retryManager.getStats();
}

/** Resets a breaker in the global registry; true if it existed. */
export function resetCircuitBreaker(name: string): boolean {
  return retryManager.reset(name);
}
