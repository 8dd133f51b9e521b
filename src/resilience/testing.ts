/**
 * Test helpers, exported as `solowatch/resilience/testing`: a `FakeClock` so that code built on
 * this library can be tested without waiting for real time.
 */
import type { Clock } from './clock.js';

interface PendingSleep {
  readonly wakeAt: number;
  readonly order: number;
  readonly resolve: () => void;
}

/** Lets promise chains that a wake-up started run to their next wait before time moves again. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock whose time moves only when told. `sleep` resolves when `advance`/`runAll` moves time
 * past its wake-up; `sleepSync` moves time at once (nothing blocks).
 */
export class FakeClock implements Clock {
  #now: number;
  #order = 0;
  #sleeps: PendingSleep[] = [];

  /** @param startMs the initial epoch ms. @default 0 */
  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Waits that have not resolved yet. */
  get pendingSleeps(): number {
    return this.#sleeps.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const entry: PendingSleep = {
        wakeAt: this.#now + Math.max(0, ms),
        order: this.#order++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#sleeps = this.#sleeps.filter((sleep) => sleep !== entry);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleeps.push(entry);
    });
  }

  /** Moves time forward at once and wakes the sleeps that are due. */
  sleepSync(ms: number): void {
    this.#now += Math.max(0, ms);
    for (const sleep of this.#takeDue(this.#now)) sleep.resolve();
  }

  /** Sets the time directly (for restoring a state or jumping the clock backwards). */
  set(nowMs: number): void {
    this.#now = nowMs;
  }

  /**
   * Moves time forward by `ms`, waking each due sleep in order at its own wake-up time and
   * letting the code it resumes run, so a chain of waits within the window all complete.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`Expected \`ms\` to be a number >= 0, got ${ms}`);
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#nextDue(target);
      if (next === undefined) break;
      this.#now = Math.max(this.#now, next.wakeAt);
      this.#sleeps = this.#sleeps.filter((sleep) => sleep !== next);
      next.resolve();
      await settle();
    }
    this.#now = target;
  }

  /** Advances to each pending wake-up in turn until none is left (at most `limit` wake-ups). */
  async runAll(limit = 10_000): Promise<void> {
    await settle();
    for (let woken = 0; this.#sleeps.length > 0; woken += 1) {
      if (woken >= limit) throw new Error(`FakeClock.runAll: still sleeping after ${limit} wake-ups`);
      const next = this.#nextDue(Number.POSITIVE_INFINITY);
      if (next === undefined) break;
      await this.advance(Math.max(0, next.wakeAt - this.#now));
    }
  }

  #nextDue(limit: number): PendingSleep | undefined {
    let best: PendingSleep | undefined;
    for (const sleep of this.#sleeps) {
      if (sleep.wakeAt > limit) continue;
      if (
        best === undefined ||
        sleep.wakeAt < best.wakeAt ||
        (sleep.wakeAt === best.wakeAt && sleep.order < best.order)
      ) {
        best = sleep;
      }
    }
    return best;
  }

  #takeDue(limit: number): PendingSleep[] {
    const due = this.#sleeps
      .filter((sleep) => sleep.wakeAt <= limit)
      .sort((a, b) => a.wakeAt - b.wakeAt || a.order - b.order);
    this.#sleeps = this.#sleeps.filter((sleep) => sleep.wakeAt > limit);
    return due;
  }
}
