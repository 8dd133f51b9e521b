/**
 * `retrySync`: the synchronous twin of `retry`. It WAITS BY BLOCKING THE THREAD
 * (`clock.sleepSync`, `Atomics.wait` by default), so use it only where a synchronous API leaves
 * no choice, and keep its delays short.
 */

import { resolveRetryConfig } from './config.js';
import { breakerOf, checkRetryOptions, type RetryOptions, RetryRun } from './RetryRun.js';
import { continueRetry } from './retry.js';
import { thenOf } from './thenable.js';

/**
 * The sync loop. With `switchToAsync`, a call that returns a promise hands the rest of the run
 * to the async loop (the decorators' path for methods not declared `async`); without it, a
 * promise is a usage error.
 */
export function runSync<T>(run: RetryRun, fn: (attempt: number) => T, switchToAsync: boolean): T {
  run.throwIfAborted(0, undefined);
  for (let attempt = 1; ; attempt += 1) {
    let value: T;
    let promised: boolean;
    try {
      const breaker = run.breaker;
      const call = attempt;
      value = breaker === undefined ? fn(call) : breaker.executeSync(() => fn(call));
      promised = thenOf(value) !== undefined;
    } catch (error) {
      const delayMs = run.failed(attempt, error);
      run.waitSync(delayMs, attempt, error);
      continue;
    }
    if (promised) {
      if (switchToAsync) {
        return continueRetry(
          run,
          fn as (attempt: number) => unknown,
          attempt,
          value as PromiseLike<unknown>,
        ) as T;
      }
      // The promise still settles; keep its rejection from going unhandled.
      Promise.resolve(value).catch(() => undefined);
      throw new TypeError('retrySync: `fn` returned a promise; use `retry` for async functions');
    }
    run.succeeded();
    return value;
  }
}

/**
 * Calls `fn(attempt)` synchronously up to `maxAttempts` times; same rules as `retry`, but the
 * waits block the thread. The clock must have `sleepSync` (the default does).
 */
export function retrySync<T>(fn: (attempt: number) => T, options: RetryOptions = {}): T {
  checkRetryOptions(options);
  const config = resolveRetryConfig(options);
  const run = new RetryRun(options, breakerOf(options, config), config);
  if (run.clock.sleepSync === undefined) {
    throw new TypeError('retrySync needs a clock with `sleepSync(ms)`');
  }
  return runSync(run, fn, false);
}
