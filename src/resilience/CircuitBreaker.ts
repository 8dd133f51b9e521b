/**
 * A circuit breaker without timers: time is read from the clock when a call arrives or when the
 * state is read, so an idle breaker costs memory only, never CPU.
 *
 * The state is one tagged union, `Phase`, and only `#move` replaces it. Each admitted call keeps
 * the phase it was admitted in; when it settles, a phase that has been replaced meanwhile means
 * the answer speaks of a state that is gone, and it is counted in the totals only. Totals for
 * operators (calls, refusals...) live apart from the phase.
 */
import { isRetryable } from './classify.js';
import { type Clock, systemClock } from './clock.js';
import { type CircuitBreakerConfig, resolveCircuitBreakerConfig } from './config.js';
import { CircuitOpenError, ResilienceError } from './errors.js';
import { thenOf } from './thenable.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

/** Why a breaker changed state. */
export type StateChangeReason =
  | 'failure_threshold'
  | 'recovery_timeout'
  | 'half_open_failure'
  | 'success_threshold'
  | 'reset';

export interface StateChangeEvent {
  readonly name: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** Epoch ms of the change; for `recovery_timeout` the moment the breaker became eligible. */
  readonly at: number;
  readonly reason: StateChangeReason;
}

export type StateChangeListener = (event: StateChangeEvent) => void;

/** The last failure a breaker recorded, as an operator reads it. */
export interface LastFailure {
  readonly message: string;
  /** The error's string `code`, or null. */
  readonly code: string | null;
  /** Epoch ms. */
  readonly at: number;
}

export interface BreakerStats {
  readonly name: string;
  readonly state: CircuitState;
  /** Consecutive recorded failures (closed), or the failures since the last close. */
  readonly failureCount: number;
  /** Trial successes since the breaker went half-open. */
  readonly successCount: number;
  /** Epoch ms of the last recorded failure, or null. */
  readonly lastFailureTime: number | null;
  /** The last recorded failure, or null. */
  readonly lastFailure: LastFailure | null;
  readonly config: CircuitBreakerConfig;
  readonly halfOpenMaxCalls: number;
  /** Calls let through (refusals not included). */
  readonly calls: number;
  /** Calls that ended in a recorded failure. */
  readonly failures: number;
  /** Calls that succeeded. */
  readonly successes: number;
  /** Calls refused with CircuitOpenError. */
  readonly refusals: number;
  /** Retries scheduled by `retry` through this breaker. */
  readonly retries: number;
  /** Times `retry` gave up through this breaker. */
  readonly giveUps: number;
  /** Calls running right now. */
  readonly inFlight: number;
  /** Epoch ms when it last opened, or null. */
  readonly openedAt: number | null;
  /** Epoch ms when an open breaker lets a trial call through, or null when not open. */
  readonly nextAttemptAt: number | null;
  readonly lastStateChangeAt: number | null;
  /** Epoch ms of the last call admitted, reset, or creation (what eviction measures). */
  readonly lastActivityAt: number;
}

/** What `toJSON()` writes and `CircuitBreaker.fromJSON()` / `restore()` read: stats, minus what
 * a restart makes meaningless (calls in flight, activity) or can compute again. */
export interface CircuitBreakerSnapshot
  extends Pick<
    BreakerStats,
    | 'name'
    | 'state'
    | 'config'
    | 'failureCount'
    | 'successCount'
    | 'lastFailureTime'
    | 'openedAt'
    | 'lastStateChangeAt'
    | 'calls'
    | 'failures'
    | 'successes'
    | 'refusals'
    | 'retries'
    | 'giveUps'
  > {
  readonly version: 1;
  /** Absent in snapshots written before it existed. */
  readonly lastFailure?: LastFailure | null;
}

export interface CircuitBreakerOptions {
  /** @default systemClock */
  readonly clock?: Clock;
  /** Which errors count as failures. @default isRetryable */
  readonly isFailure?: (error: unknown) => boolean;
  /** Trial calls a half-open breaker lets run at a time. @default 1 */
  readonly halfOpenMaxCalls?: number;
  /**
   * A trial call that has not settled this long after it started counts as a failed trial: the
   * breaker opens again and the trial's late answer is ignored. @default config.recoveryTimeoutMs
   */
  readonly halfOpenMaxWaitMs?: number;
  /** A listener attached from birth, also given the breaker (the registry forwards with one). */
  readonly onStateChange?: (event: StateChangeEvent, breaker: CircuitBreaker) => void;
}

export interface FromJSONOptions extends CircuitBreakerOptions {
  /** Overrides the saved config (for example after the operator changed it). */
  readonly config?: Partial<CircuitBreakerConfig>;
}

/** The breaker's state. `failures` is `failureCount` in the stats, in every phase. */
type Phase =
  | { readonly kind: 'closed'; failures: number }
  | { readonly kind: 'open'; readonly failures: number; readonly openedAt: number; readonly cause: unknown }
  | {
      readonly kind: 'half_open';
      failures: number;
      successes: number;
      /** Start times of the trials running now, oldest first. */
      readonly trialStarts: number[];
    };

const STATES: readonly unknown[] = ['closed', 'open', 'half_open'];

/** The options of a breaker built without any: one object for all of them, not one each. */
const NO_OPTIONS: CircuitBreakerOptions = Object.freeze({});

function reportListenerError(error: unknown): void {
  // A listener's bug must not corrupt the breaker, nor vanish: surface it as Node surfaces
  // errors thrown from EventTarget listeners.
  queueMicrotask(() => {
    throw error;
  });
}

function checkInteger(name: string, value: unknown, min: number): void {
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    throw new TypeError(`Expected \`${name}\` to be an integer >= ${min}, got ${String(value)}`);
  }
}

function checkOptions(options: CircuitBreakerOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected breaker options to be an object');
  }
  if (options.halfOpenMaxCalls !== undefined) checkInteger('halfOpenMaxCalls', options.halfOpenMaxCalls, 1);
  const wait = options.halfOpenMaxWaitMs;
  if (wait !== undefined && !(typeof wait === 'number' && wait >= 0 && !Number.isNaN(wait))) {
    throw new TypeError(`Expected \`halfOpenMaxWaitMs\` to be a number >= 0, got ${String(wait)}`);
  }
  for (const hook of ['isFailure', 'onStateChange'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw new TypeError(`Expected \`${hook}\` to be a function, got ${typeof options[hook]}`);
    }
  }
  const clock = options.clock;
  if (clock !== undefined && typeof clock?.now !== 'function') {
    throw new TypeError('Expected `clock` to have now()');
  }
}

/** Throws a TypeError naming the first bad field. */
function checkSnapshot(snapshot: CircuitBreakerSnapshot): void {
  if (typeof snapshot !== 'object' || snapshot === null) {
    throw new TypeError('Expected a breaker snapshot object');
  }
  const bad = (field: string, what: string): never => {
    throw new TypeError(
      `Invalid breaker snapshot: expected \`${field}\` to be ${what}, got ${JSON.stringify((snapshot as unknown as Record<string, unknown>)[field])}`,
    );
  };
  if (snapshot.version !== 1) bad('version', '1');
  if (typeof snapshot.name !== 'string' || snapshot.name === '') bad('name', 'a non-empty string');
  if (!STATES.includes(snapshot.state)) bad('state', "'closed', 'open' or 'half_open'");
  if (typeof snapshot.config !== 'object' || snapshot.config === null) bad('config', 'an object');
  const counts = [
    'failureCount',
    'successCount',
    'calls',
    'failures',
    'successes',
    'refusals',
    'retries',
    'giveUps',
  ] as const;
  for (const field of counts) {
    const value = snapshot[field];
    if (!Number.isSafeInteger(value) || value < 0) bad(field, 'a non-negative integer');
  }
  for (const field of ['lastFailureTime', 'openedAt', 'lastStateChangeAt'] as const) {
    const value = snapshot[field];
    if (value !== null && !Number.isFinite(value)) bad(field, 'a number or null');
  }
  const last = snapshot.lastFailure;
  if (
    last !== undefined &&
    last !== null &&
    (typeof last !== 'object' ||
      typeof last.message !== 'string' ||
      (last.code !== null && typeof last.code !== 'string') ||
      !Number.isFinite(last.at))
  ) {
    bad('lastFailure', '{ message, code, at } or null');
  }
}

function describeFailure(error: unknown, at: number): LastFailure {
  if (typeof error === 'object' && error !== null) {
    const { message, code } = error as { message?: unknown; code?: unknown };
    return {
      message: typeof message === 'string' ? message : String(error),
      code: typeof code === 'string' ? code : null,
      at,
    };
  }
  return { message: String(error), code: null, at };
}

/** A saved failure brought back as an error, so that refusals after a restart still say why. */
function failureFromSnapshot(last: LastFailure | null | undefined): unknown {
  if (last === undefined || last === null) return undefined;
  const error = new ResilienceError(last.message);
  if (last.code !== null) Object.defineProperty(error, 'code', { value: last.code, enumerable: true });
  return error;
}

export class CircuitBreaker {
  readonly name: string;
  readonly config: CircuitBreakerConfig;
  readonly #options: CircuitBreakerOptions;
  #phase: Phase = { kind: 'closed', failures: 0 };
  #listeners: Set<StateChangeListener> | undefined;

  // Totals and times for operators, apart from the phase.
  #calls = 0;
  #failures = 0;
  #successes = 0;
  #refusals = 0;
  #retries = 0;
  #giveUps = 0;
  #inFlight = 0;
  #lastFailure: unknown;
  #lastFailureTime: number | null = null;
  #lastStateChangeAt: number | null = null;
  /** Epoch ms when it last opened (kept after it closes again), or null. */
  #lastOpenedAt: number | null = null;
  /** Epoch ms of the last admitted call, reset, or construction: what eviction measures. */
  #lastActivityAt: number;

  constructor(
    name: string,
    config?: Partial<CircuitBreakerConfig>,
    options: CircuitBreakerOptions = NO_OPTIONS,
  ) {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`Expected \`name\` to be a non-empty string, got ${JSON.stringify(name)}`);
    }
    checkOptions(options);
    this.name = name;
    this.config = resolveCircuitBreakerConfig(config);
    this.#options = options;
    this.#lastActivityAt = this.#now();
  }

  /** Trial calls a half-open breaker lets run at a time. */
  get halfOpenMaxCalls(): number {
    return this.#options.halfOpenMaxCalls ?? 1;
  }

  /** How long a half-open trial may run before it counts as failed. */
  get halfOpenMaxWaitMs(): number {
    return this.#options.halfOpenMaxWaitMs ?? this.config.recoveryTimeoutMs;
  }

  /** The state now; an open breaker whose recovery time has passed reports `half_open`. */
  get state(): CircuitState {
    return this.#current(this.#now()).kind;
  }

  /** Epoch ms of the last call admitted or reset (or of construction); the registry evicts on this. */
  get lastActivityAt(): number {
    return this.#lastActivityAt;
  }

  /** True when dropping this breaker loses nothing: closed, no failures counted, nothing running. */
  get isPristine(): boolean {
    const phase = this.#phase;
    return phase.kind === 'closed' && phase.failures === 0 && this.#inFlight === 0;
  }

  /**
   * Runs `fn` through the breaker. A refusal is a rejected promise with `CircuitOpenError`
   * (fn is not called), never a synchronous throw; so is anything `fn` throws.
   */
  execute<T>(fn: () => T | PromiseLike<T>): Promise<T> {
    let admitted: Phase;
    try {
      admitted = this.#admit();
    } catch (refusal) {
      return Promise.reject(refusal);
    }
    let result: T | PromiseLike<T>;
    try {
      result = fn();
      // Reading `then` runs user code (a getter may throw): it belongs to the call.
      if (thenOf(result) === undefined) {
        this.#settle(admitted, false, undefined);
        return Promise.resolve(result as T);
      }
    } catch (error) {
      this.#settle(admitted, true, error);
      return Promise.reject(error);
    }
    return this.#settleLater(admitted, result as PromiseLike<T>);
  }

  /**
   * The synchronous twin of `execute`, used by `retrySync`: a refusal throws `CircuitOpenError`.
   * If `fn` returns a promise after all, the outcome is recorded when it settles and the promise
   * is returned.
   */
  executeSync<T>(fn: () => T): T {
    const admitted = this.#admit();
    let value: T;
    try {
      value = fn();
      if (thenOf(value) === undefined) {
        this.#settle(admitted, false, undefined);
        return value;
      }
    } catch (error) {
      this.#settle(admitted, true, error);
      throw error;
    }
    return this.#settleLater(admitted, value as PromiseLike<unknown>) as T;
  }

  /** The promise of an admitted call whose outcome is recorded when `pending` settles. */
  #settleLater<T>(admitted: Phase, pending: PromiseLike<T>): Promise<T> {
    // A native promise is chained as it is; any other thenable is adopted first.
    const promise = pending instanceof Promise ? (pending as Promise<T>) : Promise.resolve(pending);
    return promise.then(
      (value) => {
        this.#settle(admitted, false, undefined);
        return value;
      },
      (error: unknown) => {
        this.#settle(admitted, true, error);
        throw error;
      },
    );
  }

  /** Closes the breaker and clears its failure and trial counts (totals are kept). */
  reset(): void {
    const now = this.#now();
    this.#lastActivityAt = now;
    this.#move({ kind: 'closed', failures: 0 }, now, 'reset');
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
    const phase = this.#current(this.#now());
    return {
      name: this.name,
      state: phase.kind,
      failureCount: phase.failures,
      successCount: phase.kind === 'half_open' ? phase.successes : 0,
      lastFailureTime: this.#lastFailureTime,
      lastFailure:
        this.#lastFailureTime === null ? null : describeFailure(this.#lastFailure, this.#lastFailureTime),
      config: this.config,
      halfOpenMaxCalls: this.halfOpenMaxCalls,
      calls: this.#calls,
      failures: this.#failures,
      successes: this.#successes,
      refusals: this.#refusals,
      retries: this.#retries,
      giveUps: this.#giveUps,
      inFlight: this.#inFlight,
      openedAt: this.#lastOpenedAt,
      nextAttemptAt: phase.kind === 'open' ? this.#reopenAt(phase) : null,
      lastStateChangeAt: this.#lastStateChangeAt,
      lastActivityAt: this.#lastActivityAt,
    };
  }

  /** A plain snapshot for persistence; `restore` and `CircuitBreaker.fromJSON` read it. */
  toJSON(): CircuitBreakerSnapshot {
    const stats = this.stats();
    return {
      version: 1,
      name: this.name,
      state: stats.state,
      config: { ...this.config },
      failureCount: stats.failureCount,
      successCount: stats.successCount,
      lastFailureTime: stats.lastFailureTime,
      lastFailure: stats.lastFailure,
      openedAt: stats.openedAt,
      lastStateChangeAt: stats.lastStateChangeAt,
      calls: stats.calls,
      failures: stats.failures,
      successes: stats.successes,
      refusals: stats.refusals,
      retries: stats.retries,
      giveUps: stats.giveUps,
    };
  }

  /**
   * Writes a saved state into this breaker (its config stays this breaker's own). An open breaker
   * stays open until its recovery time; an `openedAt` in the future (a clock that went back) is
   * clamped to now, so a bad clock cannot keep a breaker open longer than `recoveryTimeoutMs`.
   * Calls running now are answers about the state being replaced: they are counted, not judged.
   */
  restore(snapshot: CircuitBreakerSnapshot): void {
    checkSnapshot(snapshot);
    const now = this.#now();
    const failures = snapshot.failureCount;
    let phase: Phase;
    if (snapshot.state === 'closed') phase = { kind: 'closed', failures };
    else if (snapshot.state === 'half_open') {
      phase = { kind: 'half_open', failures, successes: snapshot.successCount, trialStarts: [] };
    } else {
      const openedAt = snapshot.openedAt === null ? now : Math.min(snapshot.openedAt, now);
      phase = { kind: 'open', failures, openedAt, cause: failureFromSnapshot(snapshot.lastFailure) };
    }
    this.#phase = phase;
    this.#lastOpenedAt = phase.kind === 'open' ? phase.openedAt : snapshot.openedAt;
    this.#lastFailureTime = snapshot.lastFailureTime;
    this.#lastFailure = failureFromSnapshot(snapshot.lastFailure);
    this.#lastStateChangeAt = snapshot.lastStateChangeAt;
    this.#calls = snapshot.calls;
    this.#failures = snapshot.failures;
    this.#successes = snapshot.successes;
    this.#refusals = snapshot.refusals;
    this.#retries = snapshot.retries;
    this.#giveUps = snapshot.giveUps;
  }

  /** A new breaker in the state `toJSON()` saved (see `restore`). */
  static fromJSON(snapshot: CircuitBreakerSnapshot, options: FromJSONOptions = {}): CircuitBreaker {
    checkSnapshot(snapshot);
    const { config, ...rest } = options;
    const breaker = new CircuitBreaker(snapshot.name, { ...snapshot.config, ...config }, rest);
    breaker.restore(snapshot);
    return breaker;
  }

  #now(): number {
    return (this.#options.clock ?? systemClock).now();
  }

  #reopenAt(phase: { readonly openedAt: number }): number {
    return phase.openedAt + this.config.recoveryTimeoutMs;
  }

  /**
   * The phase at `now`, after the moves that time alone makes: open -> half_open once the
   * recovery time has passed, half_open -> open once its oldest trial has run too long.
   */
  #current(now: number): Phase {
    let phase = this.#phase;
    if (phase.kind === 'half_open' && phase.trialStarts.length > 0) {
      const deadline = (phase.trialStarts[0] as number) + this.halfOpenMaxWaitMs;
      if (now >= deadline) {
        const cause = new ResilienceError(
          `A trial call through circuit breaker "${this.name}" did not settle within ${this.halfOpenMaxWaitMs} ms`,
        );
        this.#recordFailure(cause, deadline);
        this.#move(
          { kind: 'open', failures: phase.failures + 1, openedAt: deadline, cause },
          deadline,
          'half_open_failure',
        );
        phase = this.#phase;
      }
    }
    if (phase.kind === 'open' && now >= this.#reopenAt(phase)) {
      const at = this.#reopenAt(phase);
      this.#move(
        { kind: 'half_open', failures: phase.failures, successes: 0, trialStarts: [] },
        at,
        'recovery_timeout',
      );
      phase = this.#phase;
    }
    return phase;
  }

  /** Admits a call or throws `CircuitOpenError`; returns the phase the call was admitted in. */
  #admit(): Phase {
    const now = this.#now();
    const phase = this.#current(now);
    if (phase.kind === 'open') {
      this.#refusals += 1;
      throw new CircuitOpenError(`Circuit breaker "${this.name}" is open`, {
        breakerName: this.name,
        retryAfterMs: Math.max(0, this.#reopenAt(phase) - now),
        cause: phase.cause,
      });
    }
    if (phase.kind === 'half_open') {
      if (phase.trialStarts.length >= this.halfOpenMaxCalls) {
        this.#refusals += 1;
        throw new CircuitOpenError(
          `Circuit breaker "${this.name}" is half-open and its trial calls are busy`,
          {
            breakerName: this.name,
            // A trial may settle at any moment (and times out after halfOpenMaxWaitMs at the latest).
            retryAfterMs: 0,
            cause: this.#lastFailure,
          },
        );
      }
      phase.trialStarts.push(now);
    }
    this.#calls += 1;
    this.#inFlight += 1;
    this.#lastActivityAt = now;
    return phase;
  }

  /** Records how a call admitted in phase `admitted` ended. */
  #settle(admitted: Phase, failed: boolean, error: unknown): void {
    this.#inFlight -= 1;
    // Errors the breaker does not count (bad input, a 404) prove nothing either way: they count
    // neither as failures nor as successes, but the trial slot is free again.
    const counted = !failed || (this.#options.isFailure ?? isRetryable)(error);
    if (counted && failed) this.#recordFailure(error, this.#now());
    if (counted && !failed) this.#successes += 1;
    const phase = this.#phase;
    if (admitted !== phase) return; // an answer about a state that is gone
    if (phase.kind === 'half_open') phase.trialStarts.shift();
    if (!counted) return;
    if (phase.kind === 'closed') {
      phase.failures = failed ? phase.failures + 1 : 0;
      if (phase.failures >= this.config.failureThreshold) {
        this.#open(phase.failures, error, 'failure_threshold');
      }
    } else if (phase.kind === 'half_open') {
      if (failed) {
        this.#open(phase.failures + 1, error, 'half_open_failure');
      } else {
        phase.successes += 1;
        if (phase.successes >= this.config.successThreshold) {
          this.#move({ kind: 'closed', failures: 0 }, this.#now(), 'success_threshold');
        }
      }
    }
  }

  #recordFailure(error: unknown, at: number): void {
    this.#failures += 1;
    this.#lastFailure = error;
    this.#lastFailureTime = at;
  }

  #open(failures: number, cause: unknown, reason: StateChangeReason): void {
    const now = this.#now();
    this.#move({ kind: 'open', failures, openedAt: now, cause }, now, reason);
  }

  /** The one place the phase changes. */
  #move(to: Phase, at: number, reason: StateChangeReason): void {
    const from = this.#phase.kind;
    this.#phase = to;
    if (to.kind === 'open') this.#lastOpenedAt = to.openedAt;
    if (from === to.kind && reason === 'reset') return; // a reset of a closed breaker changes no state
    this.#lastStateChangeAt = at;
    const observer = this.#options.onStateChange;
    if (observer === undefined && this.#listeners === undefined) return;
    const event: StateChangeEvent = { name: this.name, from, to: to.kind, at, reason };
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
