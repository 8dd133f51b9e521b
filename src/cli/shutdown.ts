/**
 * Waits for SIGINT or SIGTERM. The first starts a graceful close; a second one while closing
 * forces the process out at once, for when something hangs.
 */
export interface ShutdownOptions {
  readonly onSignal?: (signal: NodeJS.Signals) => void;
  readonly onForce?: (signal: NodeJS.Signals) => void;
  /** Ends the wait without a signal (tests, or the server failing). */
  readonly signal?: AbortSignal;
}

export interface ShutdownWaiter {
  /** The signal that arrived, or null when `signal` aborted. */
  readonly done: Promise<NodeJS.Signals | null>;
  /** Removes the handlers; call once the graceful close is over. */
  release(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export function waitForShutdown(options: ShutdownOptions = {}): ShutdownWaiter {
  let settle: (value: NodeJS.Signals | null) => void = () => {};
  const done = new Promise<NodeJS.Signals | null>((resolve) => {
    settle = resolve;
  });
  const second = (signal: NodeJS.Signals) => {
    options.onForce?.(signal);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const first = (signal: NodeJS.Signals) => {
    for (const s of SIGNALS) process.off(s, first);
    for (const s of SIGNALS) process.on(s, second);
    options.onSignal?.(signal);
    settle(signal);
  };
  const aborted = () => {
    for (const s of SIGNALS) process.off(s, first);
    settle(null);
  };
  if (options.signal?.aborted) {
    settle(null);
  } else {
    options.signal?.addEventListener('abort', aborted, { once: true });
    for (const s of SIGNALS) process.on(s, first);
  }
  return {
    done,
    release() {
      options.signal?.removeEventListener('abort', aborted);
      for (const s of SIGNALS) {
        process.off(s, first);
        process.off(s, second);
      }
    },
  };
}
