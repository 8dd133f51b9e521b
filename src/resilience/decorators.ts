/**
 * `retryWithBackoff` and its presets: one wrapper that is both a standard (TC39) method decorator
 * and a plain function wrapper. A method declared `async` stays async; any other method runs on
 * the sync path and moves to the async path only if it returns a promise.
 */

import type { CircuitBreaker } from './CircuitBreaker.js';
import { type RetryConfig, resolveRetryConfig } from './config.js';
import { retryManager } from './RetryManager.js';
import { abortReason, checkRetryOptions, type RetryOptions, RetryRun } from './RetryRun.js';
import { startRetry } from './retry.js';
import { runSync } from './retrySync.js';

export interface RetryWithBackoffOptions extends Omit<RetryOptions, keyof RetryConfig | 'circuitBreaker'> {
  /** Breaker every call goes through, resolved by name in `manager` at each call. */
  readonly circuitBreakerName?: string;
  /**
   * Per-target breakers: with a key, a call uses the breaker `<circuitBreakerName>:<key(...args)>`.
   * Declared as a method so that `(minerId: string) => minerId` fits.
   */
  key?(...args: unknown[]): string;
}

/** Overrides for a preset: retry config and wrapper options in one object. */
export type PresetOptions = Partial<RetryConfig> & RetryWithBackoffOptions;

/** Works as `@decorator` on a method and as `wrapper(fn)` on a function. */
export interface RetryWrapper {
  <This, Args extends unknown[], Return>(
    method: (this: This, ...args: Args) => Return,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return;
  <F extends (...args: never[]) => unknown>(fn: F): F;
}

function isAsyncFunction(fn: unknown): boolean {
  // Native async functions only: a method declared `async` keeps this tag after TypeScript's
  // ES2022 emit, while a plain method that returns a promise does not.
  return Object.prototype.toString.call(fn) === '[object AsyncFunction]';
}

/**
 * Wraps methods or functions so each call is retried with `config` and, when
 * `options.circuitBreakerName` is set, goes through that breaker (per key with `options.key`).
 * The config is validated here, when the wrapper is made.
 */
export function retryWithBackoff(
  config?: Partial<RetryConfig>,
  options: RetryWithBackoffOptions = {},
): RetryWrapper {
  const resolved = resolveRetryConfig(config);
  const { circuitBreakerName, key, ...rest } = options;
  if (key !== undefined && circuitBreakerName === undefined) {
    throw new TypeError('`key` needs a `circuitBreakerName` to build per-key breaker names');
  }
  // The wrapper's own copy: validated once here, and nobody else can change it.
  const runOptions: RetryOptions = rest;
  checkRetryOptions(runOptions);

  const manager = runOptions.manager ?? retryManager;
  /** Without a key, one breaker for every call: resolved at the first call, then held. */
  let shared: CircuitBreaker | undefined;
  const breakerFor = (args: unknown[]): CircuitBreaker | undefined => {
    if (circuitBreakerName === undefined) return undefined;
    if (key === undefined) {
      shared ??= manager.getCircuitBreaker(circuitBreakerName, resolved);
      return shared;
    }
    return manager.getCircuitBreaker(`${circuitBreakerName}:${key(...args)}`, resolved);
  };

  const wrap = <This, Args extends unknown[], Return>(
    fn: (this: This, ...args: Args) => Return,
  ): ((this: This, ...args: Args) => Return) => {
    if (typeof fn !== 'function') {
      throw new TypeError(`retryWithBackoff wraps functions, got ${typeof fn}`);
    }
    if (isAsyncFunction(fn)) {
      // Not itself an `async function`: that would add a promise and three ticks to every call.
      // It still always returns a promise and never throws synchronously.
      return function retriedAsync(this: This, ...args: Args): Promise<Awaited<Return>> {
        let breaker: CircuitBreaker | undefined;
        try {
          const signal = runOptions.signal;
          if (signal?.aborted) throw abortReason(signal);
          breaker = breakerFor(args);
        } catch (error) {
          return Promise.reject(error);
        }
        return startRetry(runOptions, breaker, resolved, () => fn.apply(this, args)) as Promise<
          Awaited<Return>
        >;
      } as (this: This, ...args: Args) => Return;
    }
    return function retried(this: This, ...args: Args): Return {
      const run = new RetryRun(runOptions, breakerFor(args), resolved);
      return runSync(run, () => fn.apply(this, args), true);
    };
  };

  return ((fn: (...args: unknown[]) => unknown, context?: ClassMethodDecoratorContext) => {
    if (context !== undefined && context.kind !== 'method') {
      throw new TypeError(`retryWithBackoff decorates methods, not a ${String(context.kind)}`);
    }
    return wrap(fn);
  }) as RetryWrapper;
}

function preset(name: string, defaults: Partial<RetryConfig>): (overrides?: PresetOptions) => RetryWrapper {
  return (overrides = {}) => {
    const {
      maxAttempts,
      baseDelayMs,
      maxDelayMs,
      exponentialBase,
      jitter,
      backoffFactor,
      failureThreshold,
      recoveryTimeoutMs,
      successThreshold,
      ...options
    } = overrides;
    const config = {
      ...defaults,
      ...Object.fromEntries(
        Object.entries({
          maxAttempts,
          baseDelayMs,
          maxDelayMs,
          exponentialBase,
          jitter,
          backoffFactor,
          failureThreshold,
          recoveryTimeoutMs,
          successThreshold,
        }).filter(([, value]) => value !== undefined),
      ),
    } as Partial<RetryConfig>;
    return retryWithBackoff(config, { circuitBreakerName: name, ...options });
  };
}

/** Database calls: breaker `database`, 3 attempts, 500 ms base, 5 s cap. */
export const retryDatabaseOperation: (overrides?: PresetOptions) => RetryWrapper = preset('database', {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 5000,
});

/** HTTP requests: breaker `http_requests`, 3 attempts, 1 s base, 30 s cap. */
export const retryHttpRequest: (overrides?: PresetOptions) => RetryWrapper = preset('http_requests', {
  maxAttempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
});

/** Miner calls: breaker `miner_operations`, 3 attempts, 2 s base, 30 s cap. */
export const retryMinerOperation: (overrides?: PresetOptions) => RetryWrapper = preset('miner_operations', {
  maxAttempts: 3,
  baseDelayMs: 2000,
  maxDelayMs: 30_000,
});
