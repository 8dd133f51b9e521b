/**
 * `retry`: calls `fn(attempt)` until it succeeds, the classifier says stop, attempts run out, a
 * breaker refuses, the budget says no, or the signal aborts.
 */
import { admitCall, settleCall } from './breakerInternals.js';
import type { CircuitBreaker } from './CircuitBreaker.js';
import { type RetryOptions, RetryRun } from './RetryRun.js';
import { isThenable } from './thenable.js';

export type { GiveUpEvent, GiveUpReason, RetryEvent, RetryOptions } from './RetryRun.js';

function attemptOnce<T>(
  run: RetryRun,
  fn: (attempt: number) => T | PromiseLike<T>,
  attempt: number,
): Promise<T> {
  const breaker = run.breaker;
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
      const value = await attemptOnce(run, fn, attempt + 1);
      run.succeeded();
      return value;
    } catch (caught) {
      error = caught;
    }
  }
}

/**
 * Runs the attempts from `attempt` on; `pending` is that attempt when it is already running.
 * The first attempt is chained without async/await so a success costs as little as possible.
 */
export function continueRetry<T>(
  run: RetryRun,
  fn: (attempt: number) => T | PromiseLike<T>,
  attempt: number,
  pending?: PromiseLike<T>,
): Promise<T> {
  const breaker = run.breaker;
  if (pending === undefined && breaker !== undefined) return firstThroughBreaker(run, breaker, fn, attempt);
  const first = pending === undefined ? attemptOnce(run, fn, attempt) : Promise.resolve(pending);
  return first.then(
    (value) => {
      run.succeeded();
      return value;
    },
    (error: unknown) => afterFailure(run, fn, attempt, error),
  );
}

/** `breaker.execute` inlined, so that the first attempt settles breaker and run in one step. */
function firstThroughBreaker<T>(
  run: RetryRun,
  breaker: CircuitBreaker,
  fn: (attempt: number) => T | PromiseLike<T>,
  attempt: number,
): Promise<T> {
  let admission: number;
  let result: T | PromiseLike<T>;
  try {
    admission = breaker[admitCall]();
  } catch (refusal) {
    return afterFailure(run, fn, attempt, refusal);
  }
  try {
    result = fn(attempt);
  } catch (error) {
    breaker[settleCall](admission, true, error);
    return afterFailure(run, fn, attempt, error);
  }
  if (!isThenable(result)) {
    breaker[settleCall](admission, false, undefined);
    run.succeeded();
    return Promise.resolve(result);
  }
  return Promise.resolve(result).then(
    (value) => {
      breaker[settleCall](admission, false, undefined);
      run.succeeded();
      return value;
    },
    (error: unknown) => {
      breaker[settleCall](admission, true, error);
      return afterFailure(run, fn, attempt, error);
    },
  );
}

/**
 * Calls `fn(attempt)` (attempt counts from 1; `fn` may be sync or async) up to `maxAttempts`
 * times and resolves with its value. A non-retryable error is thrown at once, unchanged; when
 * attempts run out the last error is thrown unchanged; an abort rejects with `signal.reason`.
 */
export function retry<T>(
  fn: (attempt: number) => T | PromiseLike<T>,
  options: RetryOptions = {},
): Promise<T> {
  let run: RetryRun;
  try {
    run = new RetryRun(options);
    run.throwIfAborted(0, undefined);
  } catch (error) {
    return Promise.reject(error);
  }
  return continueRetry(run, fn, 1);
}
