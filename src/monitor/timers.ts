/**
 * Time for the monitor: a clock plus one-shot timers. The scheduler never reads `Date.now()` or
 * calls `setTimeout` itself, so tests drive it with a fake clock.
 */

/** Epoch milliseconds and an abortable sleep, the same shape as the resilience `Clock`. */
export interface MonitorClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type TimerHandle = { readonly cancel: () => void };

export interface MonitorTimers extends MonitorClock {
  /** Runs `fn` once after `ms`; the handle cancels it. */
  setTimer(fn: () => void, ms: number): TimerHandle;
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Real time: `Date.now()` and `setTimeout`. */
export const systemTimers: MonitorTimers = Object.freeze({
  now: () => Date.now(),
  sleep: realSleep,
  setTimer(fn: () => void, ms: number): TimerHandle {
    const timer = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(timer) };
  },
});

/**
 * Timers built on any clock's abortable `sleep`, so a fake clock (which only knows `sleep`)
 * drives the scheduler in tests exactly as real timers do in production.
 */
export function timersFromClock(clock: MonitorClock): MonitorTimers {
  return {
    now: () => clock.now(),
    sleep: (ms, signal) => clock.sleep(ms, signal),
    setTimer(fn: () => void, ms: number): TimerHandle {
      const controller = new AbortController();
      clock.sleep(Math.max(0, ms), controller.signal).then(
        () => {
          if (!controller.signal.aborted) fn();
        },
        () => undefined,
      );
      return { cancel: () => controller.abort() };
    },
  };
}
