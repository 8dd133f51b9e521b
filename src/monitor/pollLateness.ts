/** The hooks a monitor tells each poll's lateness to, for metrics. */
import type { PollLatenessListener } from './types.js';

export class PollLatenessListeners {
  readonly #listeners = new Set<PollLatenessListener>();
  #errors = 0;

  /** How many times a hook threw. */
  get errors(): number {
    return this.#errors;
  }

  add(listener: PollLatenessListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  report(ms: number, id: string): void {
    if (this.#listeners.size === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(ms, id);
      } catch {
        // A metrics hook must never stop the schedule; it is counted instead.
        this.#errors += 1;
      }
    }
  }
}
