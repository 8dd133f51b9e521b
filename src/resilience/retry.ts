/**
 * `retry`: calls `fn(attempt)` until it succeeds, the classifier says stop, attempts run out, a
 * breaker refuses, the budget says no, or the signal aborts.
 */
import { type RetryOptions, RetryRun } from './RetryRun.js';

export type { GiveUpEvent, GiveUpReason, RetryEvent, RetryOptions } from './RetryRun.js';

/** Runs the attempts from `attempt` on; `pending` is that attempt when it is already running. */
export async function continueRetry<T>(
  run: RetryRun,
  fn: (attempt: number) => T | PromiseLike<T>,
  attempt: number,
  pending?: PromiseLike<T>,
): Promise<T> {
  let inFlight = pending;
  for (let current = attempt; ; current += 1) {
    let value: T;
    try {
      if (inFlight !== undefined) {
        const running = inFlight;
        inFlight = undefined;
        value = await running;
      } else {
        const breaker = run.breaker;
        const call = current;
        value = breaker === undefined ? await fn(call) : await breaker.execute(() => fn(call));
      }
    } catch (error) {
      const delayMs = run.failed(current, error);
      await run.wait(delayMs, current, error);
      continue;
    }
    run.succeeded();
    return value;
  }
}

/**
 * Calls `fn(attempt)` (attempt counts from 1; `fn` may be sync or async) up to `maxAttempts`
 * times and resolves with its value. A non-retryable error is thrown at once, unchanged; when
 * attempts run out the last error is thrown unchanged; an abort rejects with `signal.reason`.
 */
export async function retry<T>(
  fn: (attempt: number) => T | PromiseLike<T>,
  options: RetryOptions = {},
): Promise<T> {
  const run = new RetryRun(options);
  run.throwIfAborted(0, undefined);
  return continueRetry(run, fn, 1);
}
