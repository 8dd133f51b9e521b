/**
 * A circuit breaker without timers: time is read from the clock when a call arrives or when the
 * state is read, so an idle breaker costs memory only, never CPU.
 */

import { admitCall, settleCall } from './breakerInternals.js';
import {
  type Admission,
  type Settings,
  settingsFor,
  ticket,
  ticketGeneration,
  ticketTrial,
} from './breakerSettings.js';
import { type CircuitBreakerSnapshot, checkSnapshot } from './breakerSnapshot.js';
import type {
  BreakerStats,
  CircuitState,
  StateChangeEvent,
  StateChangeListener,
  StateChangeReason,
} from './breakerTypes.js';
import { isRetryable } from './classify.js';
import { type Clock, systemClock } from './clock.js';
import { type CircuitBreakerConfig, resolveCircuitBreakerConfig } from './config.js';
import { CircuitOpenError } from './errors.js';
import { isThenable } from './thenable.js';

export type { CircuitBreakerSnapshot } from './breakerSnapshot.js';
export type {
  BreakerStats,
  CircuitState,
  StateChangeEvent,
  StateChangeListener,
  StateChangeReason,
} from './breakerTypes.js';

export interface CircuitBreakerOptions {
  /** @default systemClock */
  readonly clock?: Clock;
  /** Which errors count as failures. @default isRetryable */
  readonly isFailure?: (error: unknown) => boolean;
  /** Trial calls a half-open breaker lets run at a time. @default 1 */
  readonly halfOpenMaxCalls?: number;
  /**
   * A listener attached from birth, also given the breaker; the registry uses one such function
   * for all its breakers, so forwarding costs no closure per breaker.
   */
  readonly onStateChange?: (event: StateChangeEvent, breaker: CircuitBreaker) => void;
}

export interface FromJSONOptions extends CircuitBreakerOptions {
  /** Overrides the saved config (for example after the operator changed it). */
  readonly config?: Partial<CircuitBreakerConfig>;
}

function reportListenerError(error: unknown): void {
  // A listener's bug must not corrupt the breaker, nor vanish: surface it as Node surfaces
  // errors thrown from EventTarget listeners.
  queueMicrotask(() => {
    throw error;
  });
}

export class CircuitBreaker {
  readonly name: string;
  readonly #settings: Settings;
  #listeners: Set<StateChangeListener> | undefined;

  #state: CircuitState = 'closed';
  #generation = 0;
  #failureCount = 0;
  #successCount = 0;
  #trialsInFlight = 0;
  #inFlight = 0;
  #lastFailureTime: number | null = null;
  #openedAt: number | null = null;
  #lastStateChangeAt: number | null = null;
  /** Epoch ms of the last admitted call, reset, or construction: what eviction measures. */
  #lastActivityAt: number;
  #calls = 0;
  #failures = 0;
  #successes = 0;
  #refusals = 0;
  #retries = 0;
  #giveUps = 0;

  constructor(name: string, config?: Partial<CircuitBreakerConfig>, options: CircuitBreakerOptions = {}) {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`Expected \`name\` to be a non-empty string, got ${JSON.stringify(name)}`);
    }
    const halfOpenMaxCalls = options.halfOpenMaxCalls ?? 1;
    if (!Number.isSafeInteger(halfOpenMaxCalls) || halfOpenMaxCalls < 1) {
      throw new TypeError(`Expected \`halfOpenMaxCalls\` to be a positive integer, got ${halfOpenMaxCalls}`);
    }
    this.name = name;
    this.#settings = settingsFor(
      resolveCircuitBreakerConfig(config),
      options.clock ?? systemClock,
      options.isFailure ?? isRetryable,
      halfOpenMaxCalls,
      options.onStateChange,
    );
    this.#lastActivityAt = this.#settings.clock.now();
  }

  get config(): CircuitBreakerConfig {
    return this.#settings.config;
  }

  /** Trial calls a half-open breaker lets run at a time. */
  get halfOpenMaxCalls(): number {
    return this.#settings.halfOpenMaxCalls;
  }

  /** The state now; an open breaker whose recovery time has passed reports `half_open`. */
  get state(): CircuitState {
    this.#refresh(this.#settings.clock.now());
    return this.#state;
  }

  /** Epoch ms of the last call admitted or reset (or of construction); the registry evicts on this. */
  get lastActivityAt(): number {
    return this.#lastActivityAt;
  }

  /** True when dropping this breaker loses nothing: closed, no failures counted, nothing running. */
  get isPristine(): boolean {
    return this.#state === 'closed' && this.#failureCount === 0 && this.#inFlight === 0;
  }

  /**
   * Runs `fn` through the breaker. A refusal is a rejected promise with `CircuitOpenError`
   * (fn is not called), never a synchronous throw.
   */
  execute<T>(fn: () => T | PromiseLike<T>): Promise<T> {
    // Written with explicit promises rather than async/await: this is every call's hot path, and
    // each avoided await is a microtask and an allocation per call.
    let admission: Admission;
    let result: T | PromiseLike<T>;
    try {
      admission = this.#admit();
    } catch (refusal) {
      return Promise.reject(refusal);
    }
    try {
      result = fn();
    } catch (error) {
      this.#settleError(admission, error);
      return Promise.reject(error);
    }
    if (!isThenable(result)) {
      this.#settleSuccess(admission);
      return Promise.resolve(result);
    }
    return Promise.resolve(result).then(
      (value) => {
        this.#settleSuccess(admission);
        return value;
      },
      (error: unknown) => {
        this.#settleError(admission, error);
        throw error;
      },
    );
  }

  /**
   * The synchronous twin of `execute`, used by `retrySync`: a refusal throws `CircuitOpenError`.
   * If `fn` returns a promise after all, the outcome is recorded when it settles and the promise
   * is returned.
   */
  executeSync<T>(fn: () => T): T {
    const admission = this.#admit();
    let value: T;
    try {
      value = fn();
    } catch (error) {
      this.#settleError(admission, error);
      throw error;
    }
    if (isThenable(value)) {
      return Promise.resolve(value).then(
        (result) => {
          this.#settleSuccess(admission);
          return result;
        },
        (error: unknown) => {
          this.#settleError(admission, error);
          throw error;
        },
      ) as T;
    }
    this.#settleSuccess(admission);
    return value;
  }

  /** Closes the breaker and clears its failure and trial counts (totals are kept). */
  reset(): void {
    const now = this.#settings.clock.now();
    this.#lastActivityAt = now;
    this.#failureCount = 0;
    this.#successCount = 0;
    this.#trialsInFlight = 0;
    this.#generation += 1;
    if (this.#state !== 'closed') this.#transition('closed', now, 'reset');
  }

  /** @internal see breakerInternals.ts */
  [admitCall](): number {
    return this.#admit();
  }

  /** @internal see breakerInternals.ts */
  [settleCall](admission: number, failed: boolean, error: unknown): void {
    if (failed) this.#settleError(admission, error);
    else this.#settleSuccess(admission);
  }

  /** Called by `retry` when it schedules another attempt through this breaker. */
  recordRetry(): void {
    this.#retries += 1;
  }

  /** Called by `retry` when it gives up through this breaker. */
  recordGiveUp(): void {
    this.#giveUps += 1;
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onStateChange(listener: StateChangeListener): () => void {
    this.#listeners ??= new Set();
    // Wrapping makes the same function subscribable twice with independent unsubscribes.
    const entry: StateChangeListener = (event) => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners?.delete(entry);
    };
  }

  stats(): BreakerStats {
    const now = this.#settings.clock.now();
    this.#refresh(now);
    return {
      name: this.name,
      state: this.#state,
      failureCount: this.#failureCount,
      successCount: this.#successCount,
      lastFailureTime: this.#lastFailureTime,
      config: this.config,
      halfOpenMaxCalls: this.halfOpenMaxCalls,
      calls: this.#calls,
      failures: this.#failures,
      successes: this.#successes,
      refusals: this.#refusals,
      retries: this.#retries,
      giveUps: this.#giveUps,
      inFlight: this.#inFlight,
      openedAt: this.#openedAt,
      nextAttemptAt: this.#state === 'open' ? this.#reopenAt() : null,
      lastStateChangeAt: this.#lastStateChangeAt,
      lastActivityAt: this.#lastActivityAt,
    };
  }

  /** A plain snapshot for persistence; `CircuitBreaker.fromJSON` restores it. */
  toJSON(): CircuitBreakerSnapshot {
    this.#refresh(this.#settings.clock.now());
    return {
      version: 1,
      name: this.name,
      state: this.#state,
      config: { ...this.config },
      failureCount: this.#failureCount,
      successCount: this.#successCount,
      lastFailureTime: this.#lastFailureTime,
      openedAt: this.#openedAt,
      lastStateChangeAt: this.#lastStateChangeAt,
      calls: this.#calls,
      failures: this.#failures,
      successes: this.#successes,
      refusals: this.#refusals,
      retries: this.#retries,
      giveUps: this.#giveUps,
    };
  }

  /**
   * Rebuilds a breaker from `toJSON()` output. An open breaker stays open until its recovery
   * time; an `openedAt` in the future (a clock that went back) is clamped to now, so a bad clock
   * cannot keep a breaker open for longer than `recoveryTimeoutMs`.
   */
  static fromJSON(snapshot: CircuitBreakerSnapshot, options: FromJSONOptions = {}): CircuitBreaker {
    const checked = checkSnapshot(snapshot);
    const config = { ...checked.config, ...options.config };
    const breaker = new CircuitBreaker(checked.name, config, options);
    breaker.#restore(checked);
    return breaker;
  }

  #restore(snapshot: CircuitBreakerSnapshot): void {
    const now = this.#settings.clock.now();
    this.#state = snapshot.state;
    this.#failureCount = snapshot.failureCount;
    this.#successCount = snapshot.state === 'half_open' ? snapshot.successCount : 0;
    this.#lastFailureTime = snapshot.lastFailureTime;
    this.#openedAt = snapshot.openedAt === null ? null : Math.min(snapshot.openedAt, now);
    if (this.#state === 'open' && this.#openedAt === null) this.#openedAt = now;
    this.#lastStateChangeAt = snapshot.lastStateChangeAt;
    this.#calls = snapshot.calls;
    this.#failures = snapshot.failures;
    this.#successes = snapshot.successes;
    this.#refusals = snapshot.refusals;
    this.#retries = snapshot.retries;
    this.#giveUps = snapshot.giveUps;
  }

  #reopenAt(): number {
    return (this.#openedAt ?? 0) + this.config.recoveryTimeoutMs;
  }

  #refresh(now: number): void {
    if (this.#state === 'open' && now >= this.#reopenAt()) {
      this.#successCount = 0;
      this.#trialsInFlight = 0;
      this.#transition('half_open', this.#reopenAt(), 'recovery_timeout');
    }
  }

  #admit(): Admission {
    const now = this.#settings.clock.now();
    this.#refresh(now);
    if (this.#state === 'open') {
      this.#refusals += 1;
      throw new CircuitOpenError(`Circuit breaker "${this.name}" is open`, {
        breakerName: this.name,
        retryAfterMs: Math.max(0, this.#reopenAt() - now),
      });
    }
    const trial = this.#state === 'half_open';
    if (trial) {
      if (this.#trialsInFlight >= this.halfOpenMaxCalls) {
        this.#refusals += 1;
        throw new CircuitOpenError(
          `Circuit breaker "${this.name}" is half-open and its trial calls are busy`,
          {
            breakerName: this.name,
            retryAfterMs: 0,
          },
        );
      }
      this.#trialsInFlight += 1;
    }
    this.#calls += 1;
    this.#inFlight += 1;
    this.#lastActivityAt = now;
    return ticket(this.#generation, trial);
  }

  #settleSuccess(admission: Admission): void {
    this.#inFlight -= 1;
    this.#successes += 1;
    // An answer to a call admitted before the last state change says nothing about the new state.
    if (ticketGeneration(admission) !== this.#generation) return;
    if (this.#state === 'closed') {
      this.#failureCount = 0;
      return;
    }
    if (this.#state === 'half_open' && ticketTrial(admission)) {
      this.#trialsInFlight -= 1;
      this.#successCount += 1;
      if (this.#successCount >= this.config.successThreshold) {
        this.#failureCount = 0;
        this.#successCount = 0;
        this.#transition('closed', this.#settings.clock.now(), 'success_threshold');
      }
    }
  }

  #settleError(admission: Admission, error: unknown): void {
    this.#inFlight -= 1;
    const current = ticketGeneration(admission) === this.#generation;
    if (current && ticketTrial(admission)) this.#trialsInFlight -= 1;
    // Errors the breaker does not count (bad input, a 404) prove nothing either way: they neither
    // count as failures nor as successes.
    if (!this.#settings.isFailure(error)) return;
    const now = this.#settings.clock.now();
    this.#failures += 1;
    this.#lastFailureTime = now;
    if (!current) return;
    this.#failureCount += 1;
    if (this.#state === 'half_open') {
      this.#open(now, 'half_open_failure');
    } else if (this.#state === 'closed' && this.#failureCount >= this.config.failureThreshold) {
      this.#open(now, 'failure_threshold');
    }
  }

  #open(now: number, reason: StateChangeReason): void {
    this.#openedAt = now;
    this.#successCount = 0;
    this.#trialsInFlight = 0;
    this.#transition('open', now, reason);
  }

  #transition(to: CircuitState, at: number, reason: StateChangeReason): void {
    const from = this.#state;
    this.#state = to;
    this.#generation += 1;
    this.#lastStateChangeAt = at;
    const observer = this.#settings.observer;
    if (observer === undefined && this.#listeners === undefined) return;
    const event: StateChangeEvent = { name: this.name, from, to, at, reason };
    if (observer !== undefined) {
      try {
        observer(event, this);
      } catch (error) {
        reportListenerError(error);
      }
    }
    if (this.#listeners === undefined) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        reportListenerError(error);
      }
    }
  }
}
