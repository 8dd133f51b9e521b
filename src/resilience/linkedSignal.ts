/**
 * A signal that aborts when any of several does, for one call, and lets go of them afterwards.
 *
 * `AbortSignal.any([a, b])` makes `a` and `b` remember the new signal (Node 20 keeps a WeakRef
 * to it in a set on each source, and nothing removes the entry): fine when the sources are as
 * short-lived as the call, a leak when one of them lives as long as the process. A poll
 * scheduler's or a client's closing signal does; with AbortSignal.any on it per cgminer command,
 * the heap of a 1,000-miner fleet grew by about 2.5 MB an hour (issue 19; measured with
 * test/chaos/soak/heapDiff.ts). Here each source only gets an `abort` listener, removed by
 * `release()`.
 */

export interface LinkedSignal extends Disposable {
  readonly signal: AbortSignal;
  /** Stops listening to the sources; call it when the call is over, aborted or not. */
  release(): void;
}

export function linkSignals(...sources: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const listening: [AbortSignal, () => void][] = [];
  const release = (): void => {
    for (const [source, onAbort] of listening.splice(0)) source.removeEventListener('abort', onAbort);
  };
  for (const source of sources) {
    if (source === undefined) continue;
    if (source.aborted) {
      release();
      controller.abort(source.reason);
      break;
    }
    const onAbort = (): void => {
      release();
      controller.abort(source.reason);
    };
    source.addEventListener('abort', onAbort, { once: true });
    listening.push([source, onAbort]);
  }
  return { signal: controller.signal, release, [Symbol.dispose]: release };
}
