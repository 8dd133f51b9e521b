/**
 * The decisions of one retry run, shared by `retry`, `retrySync` and the decorators so the three
 * cannot drift apart: what to do after a failure, how long to wait, and the events.
 */
import { computeDelay } from './backoff.js';
import { CircuitBreaker } from './CircuitBreaker.js';
import { isRetryable, retryAfterMsOf } from './classify.js';
import { type Clock, systemClock } from './clock.js';
import { checkRetryConfig, type RetryConfig } from './config.js';
import { isCircuitOpenError } from './errors.js';
import type { RetryBudget } from './RetryBudget.js';
import { type RetryManager, retryManager } from './RetryManager.js';

/** Told before each wait: `attempt` has just failed with `error`; the next call comes in `delayMs`. */
export interface RetryEvent {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

/** Why a run stopped with an error. */
export type GiveUpReason = 'exhausted' | 'non_retryable' | 'circuit_open' | 'budget' | 'aborted';

/** Told once when a run stops with an error, before it is thrown. */
export interface GiveUpEvent {
  /** Calls made (a refused call through an open breaker counts: it was an attempt). */
  readonly attempts: number;
  readonly error: unknown;
  readonly reason: GiveUpReason;
}

export interface RetryOptions extends Partial<RetryConfig> {
  /**
   * A breaker every attempt goes through: an instance, or a name resolved in `manager` (created
   * there with this options' breaker fields when new).
   */
  readonly circuitBreaker?: string | CircuitBreaker;
  /** Which errors are worth another attempt. @default isRetryable */
  readonly isRetryable?: (error: unknown) => boolean;
  /** Aborts a running wait (rejecting with `signal.reason`) and stops retrying. */
  readonly signal?: AbortSignal;
  readonly onRetry?: (event: RetryEvent) => void;
  readonly onGiveUp?: (event: GiveUpEvent) => void;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Returns a number in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** A shared retry budget; off unless given. */
  readonly budget?: RetryBudget;
  /** Where a breaker name is resolved. @default retryManager */
  readonly manager?: RetryManager;
}

function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${typeof value}`);
  }
}

/**
 * Validates every option `retry` reads, on every call (options objects hold no hidden state: a
 * changed object changes the next call). Throws a TypeError naming the field.
 */
export function checkRetryOptions(options: RetryOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `Expected retry options to be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
  checkFunction('isRetryable', options.isRetryable);
  checkFunction('onRetry', options.onRetry);
  checkFunction('onGiveUp', options.onGiveUp);
  checkFunction('random', options.random);
  const { signal, circuitBreaker, clock } = options;
  if (
    signal !== undefined &&
    (typeof signal !== 'object' || signal === null || typeof signal.aborted !== 'boolean')
  ) {
    throw new TypeError('Expected `signal` to be an AbortSignal');
  }
  if (
    circuitBreaker !== undefined &&
    typeof circuitBreaker !== 'string' &&
    !(circuitBreaker instanceof CircuitBreaker)
  ) {
    throw new TypeError('Expected `circuitBreaker` to be a breaker name or a CircuitBreaker');
  }
  if (clock !== undefined && (typeof clock?.now !== 'function' || typeof clock.sleep !== 'function')) {
    throw new TypeError('Expected `clock` to have now() and sleep(ms, signal)');
  }
  checkRetryConfig(options);
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * The breaker a run goes through: `name` (or `options.circuitBreaker` when it is a name) resolved
 * in `options.manager`, created there with `config`'s breaker fields when new; or the instance.
 */
export function breakerOf(
  options: RetryOptions,
  config: Partial<RetryConfig>,
  name?: string,
): CircuitBreaker | undefined {
  const breaker = name ?? options.circuitBreaker;
  if (typeof breaker !== 'string') return breaker;
  return (options.manager ?? retryManager).getCircuitBreaker(breaker, config);
}

/** The state of one run: what to do after a failure (`retry` makes one only when an attempt fails). */
export class RetryRun {
  readonly config: RetryConfig;
  readonly clock: Clock;
  readonly breaker: CircuitBreaker | undefined;
  readonly signal: AbortSignal | undefined;
  readonly #options: RetryOptions;
  readonly #random: () => number;
  readonly #classify: (error: unknown) => boolean;
  #previousDelayMs: number | undefined;

  /** `options` were validated by `checkRetryOptions`; `config` is their resolved config. */
  constructor(options: RetryOptions, breaker: CircuitBreaker | undefined, config: RetryConfig) {
    this.config = config;
    this.#options = options;
    this.clock = options.clock ?? systemClock;
    this.signal = options.signal;
    this.#random = options.random ?? Math.random;
    this.#classify = options.isRetryable ?? isRetryable;
    this.breaker = breaker;
  }

  /** Throws `signal.reason` (after the give-up event) when the run was aborted. */
  throwIfAborted(attempts: number, lastError: unknown): void {
    const signal = this.signal;
    if (signal === undefined || !signal.aborted) return;
    const reason = abortReason(signal);
    if (attempts > 0) this.#giveUp(attempts, lastError, 'aborted');
    throw reason;
  }

  succeeded(): void {
    this.#options.budget?.recordSuccess();
  }

  /**
   * After `attempt` failed with `error`: returns the delay before the next attempt, or throws
   * (the error unchanged, or `signal.reason` when aborted) when the run stops here.
   */
  failed(attempt: number, error: unknown): number {
    this.throwIfAborted(attempt, error);
    if (isCircuitOpenError(error)) this.#stop(attempt, error, 'circuit_open');
    if (!this.#classify(error)) this.#stop(attempt, error, 'non_retryable');
    const budget = this.#options.budget;
    budget?.recordFailure();
    if (attempt >= this.config.maxAttempts) this.#stop(attempt, error, 'exhausted');
    if (budget !== undefined && !budget.tryRetry()) this.#stop(attempt, error, 'budget');

    const asked = retryAfterMsOf(error);
    const delayMs =
      asked === undefined
        ? computeDelay(attempt, this.#previousDelayMs, this.config, this.#random)
        : Math.min(asked, this.config.maxDelayMs);
    this.#previousDelayMs = delayMs;
    this.breaker?.recordRetry();
    this.#options.onRetry?.({ attempt, delayMs, error });
    return delayMs;
  }

  /** Waits `delayMs` on the clock; an abort cuts it short and ends the run. */
  async wait(delayMs: number, attempt: number, lastError: unknown): Promise<void> {
    if (delayMs > 0) {
      try {
        await this.clock.sleep(delayMs, this.signal);
      } catch (error) {
        if (this.signal?.aborted) this.#giveUp(attempt, lastError, 'aborted');
        throw error;
      }
    }
    this.throwIfAborted(attempt, lastError);
  }

  /** Blocks for `delayMs` with `clock.sleepSync`. */
  waitSync(delayMs: number, attempt: number, lastError: unknown): void {
    if (delayMs > 0) {
      const sleepSync = this.clock.sleepSync;
      if (sleepSync === undefined) {
        throw new TypeError('A synchronous retry needs a clock with `sleepSync(ms)`');
      }
      sleepSync.call(this.clock, delayMs);
    }
    this.throwIfAborted(attempt, lastError);
  }

  #stop(attempts: number, error: unknown, reason: GiveUpReason): never {
    this.#giveUp(attempts, error, reason);
    throw error;
  }

  #giveUp(attempts: number, error: unknown, reason: GiveUpReason): void {
    this.breaker?.recordGiveUp();
    this.#options.onGiveUp?.({ attempts, error, reason });
  }
}
