/**
 * Time as a dependency. Everything in this library reads time and waits through a `Clock`, so
 * tests pass a fake one (`solowatch/resilience/testing`) and never wait for real time.
 */
export interface Clock {
  /** Epoch milliseconds. Every time a breaker reports comes from here. */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Blocks the thread for `ms`; used only by `retrySync`. */
  sleepSync?(ms: number): void;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

const MAX_TIMEOUT_MS = 2_147_483_647;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    // The timer is not unref'd: a pending retry is work the process should stay alive for.
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      // setTimeout fires at once for anything above 2^31-1 ms; clamp instead of spinning.
      Math.min(MAX_TIMEOUT_MS, Math.max(0, ms)),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

let syncCell: Int32Array | undefined;

function sleepSync(ms: number): void {
  if (!(ms > 0)) return;
  // Atomics.wait on a cell nobody notifies is the one way to block without burning CPU.
  syncCell ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(syncCell, 0, 0, ms);
}

/** The real clock: `Date.now()`, `setTimeout` and `Atomics.wait`. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep,
  sleepSync,
});
