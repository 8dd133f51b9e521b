/**
 * Repeats a background job. With an injected clock the pace comes from `clock.sleep` (tests move
 * it); otherwise a real timer that is unref'd, so an idle storage never keeps the process alive.
 * Either way the abort signal (close) stops it and leaves no timer behind.
 */
import type { Clock } from '../resilience/index.js';

export function repeat(everyMs: number, job: () => Promise<void>, signal: AbortSignal, clock?: Clock): void {
  if (clock !== undefined) {
    void (async () => {
      while (!signal.aborted) {
        try {
          await clock.sleep(everyMs, signal);
        } catch {
          return;
        }
        await job();
      }
    })();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(() => {
      timer = undefined;
      void job().then(() => {
        if (!signal.aborted) schedule();
      });
    }, everyMs);
    timer.unref();
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  schedule();
}
