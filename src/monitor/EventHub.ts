/** Fan-out of MonitorEvents to subscribers; a throwing listener never hurts the others or a poll. */
import type { MonitorEvent } from './types.js';

export class EventHub {
  readonly #listeners = new Set<(event: MonitorEvent) => void>();
  #listenerErrors = 0;

  get listenerErrors(): number {
    return this.#listenerErrors;
  }

  get size(): number {
    return this.#listeners.size;
  }

  subscribe(listener: (event: MonitorEvent) => void): () => void {
    const entry = (event: MonitorEvent): void => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  emit(event: MonitorEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        this.#listenerErrors += 1;
      }
    }
  }
}
