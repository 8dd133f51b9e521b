/**
 * `retry`: calls `fn(attempt)` until it succeeds, the classifier says stop, attempts run out, a
 * breaker refuses, the budget says no, or the signal aborts.
 */
import type { CircuitBreaker } from './CircuitBreaker.js';
import { type RetryConfig, resolveRetryConfig } from './config.js';
import { abortReason, breakerOf, checkRetryOptions, type RetryOptions, RetryRun } from './RetryRun.js';

export type { GiveUpEvent, GiveUpReason, RetryEvent, RetryOptions } from './RetryRun.js';

function attemptOnce<T>(
  breaker: CircuitBreaker | undefined,
  fn: (attempt: number) => T | PromiseLike<T>,
  attempt: number,
): Promise<T> {
  if (breaker !== undefined) return breaker.execute(() => fn(attempt));
  try {
    return Promise.resolve(fn(attempt));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The attempts after a failure: waits, then tries again until the run ends. */
async function afterFailure<T>(
  run: RetryRun,
  fn: (attempt: number) => T | PromiseLike<T>,
  failedAttempt: number,
  firstError: unknown,
): Promise<T> {
  let error = firstError;
  for (let attempt = failedAttempt; ; attempt += 1) {
    const delayMs = run.failed(attempt, error);
    await run.wait(delayMs, attempt, error);
    try {
      const value = await attemptOnce(run.breaker, fn, attempt + 1);
      run.succeeded();
      return value;
    } catch (caught) {
      error = caught;
    }
  }
}

/**
 * Runs a validated, not yet aborted retry from its first attempt. The success path makes no
 * run object and resolves no config: both are made when an attempt fails.
 * @param config the resolved config when the caller has it (the decorators), else read from options.
 */
export function startRetry<T>(
  options: RetryOptions,
  breaker: CircuitBreaker | undefined,
  config: RetryConfig | undefined,
  fn: (attempt: number) => T | PromiseLike<T>,
): Promise<T> {
  const budget = options.budget;
  return attemptOnce(breaker, fn, 1).then(
    budget === undefined
      ? undefined
      : (value) => {
          budget.recordSuccess();
          return value;
        },
    (error: unknown) =>
      afterFailure(new RetryRun(options, breaker, config ?? resolveRetryConfig(options)), fn, 1, error),
  );
}

/** Continues a run whose attempt `attempt` is `pending` (the sync loop's switch to async). */
export function continueRetry<T>(
  run: RetryRun,
  fn: (attempt: number) => T | PromiseLike<T>,
  attempt: number,
  pending: PromiseLike<T>,
): Promise<T> {
  return Promise.resolve(pending).then(
    (value) => {
      run.succeeded();
      return value;
    },
    (error: unknown) => afterFailure(run, fn, attempt, error),
  );
}

/**
 * Calls `fn(attempt)` (attempt counts from 1; `fn` may be sync or async) up to `maxAttempts`
 * times and resolves with its value. A non-retryable error is thrown at once, unchanged; when
 * attempts run out the last error is thrown unchanged; an abort rejects with `signal.reason`.
 * The options are read and validated at every call.
 */
export function retry<T>(
  fn: (attempt: number) => T | PromiseLike<T>,
  options: RetryOptions = {},
): Promise<T> {
  let breaker: CircuitBreaker | undefined;
  try {
    checkRetryOptions(options);
    if (options.signal?.aborted) throw abortReason(options.signal);
    breaker = breakerOf(options, options);
  } catch (error) {
    return Promise.reject(error);
  }
  return startRetry(options, breaker, undefined, fn);
}
