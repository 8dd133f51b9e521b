/** A counting semaphore with a FIFO queue: the global cap on polls in flight. */
export class Semaphore {
  readonly #capacity: number;
  #active = 0;
  readonly #waiters: Array<() => void> = [];

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`Expected \`capacity\` to be a positive integer, got ${String(capacity)}`);
    }
    this.#capacity = capacity;
  }

  get capacity(): number {
    return this.#capacity;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /** Resolves when a slot is held; call the returned function exactly once to give it back. */
  acquire(): Promise<() => void> {
    if (this.#active < this.#capacity) {
      this.#active += 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve) => {
      this.#waiters.push(() => resolve(this.#releaser()));
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      // The slot passes straight to the next waiter, so the count never dips and a burst of
      // new callers cannot jump the queue.
      if (next !== undefined) next();
      else this.#active -= 1;
    };
  }
}
