/**
 * Work the monitor starts and does not wait for on the poll's path (storage writes, backfill):
 * `stop()` drains it, and a failure is counted, never thrown.
 */
export class Background {
  readonly #pending = new Set<Promise<unknown>>();
  #failures = 0;

  get failures(): number {
    return this.#failures;
  }

  /** Counts a failure that happened elsewhere (a poll that threw, a breaker save). */
  fail(): void {
    this.#failures += 1;
  }

  track(work: Promise<unknown>): void {
    const tracked = work
      .catch(() => {
        this.#failures += 1;
      })
      .finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
