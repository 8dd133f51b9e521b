/**
 * Live updates over server-sent events: a `hello` with the stream's miner numbering when it
 * connects, then at most one `changes` batch a second (src/server/liveBatch.ts has the format).
 * The browser's EventSource reconnects by itself after a network error; when the server refuses
 * the stream outright (it closes for good) we reconnect with capped backoff. Every (re)connection
 * re-reads the whole state, since changes sent while we were away are gone.
 */
import { eventsUrl } from './api.js';
import type { Store } from './store.js';
import type { LiveAction, LiveChanges } from './types.js';

const MIN_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export class LiveConnection {
  readonly #store: Store;
  #source: EventSource | null = null;
  #retryMs = MIN_RETRY_MS;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(store: Store) {
    this.#store = store;
  }

  start(): void {
    this.#closed = false;
    this.#open();
  }

  #open(): void {
    if (this.#closed) return;
    const source = new EventSource(eventsUrl());
    this.#source = source;
    source.onopen = () => {
      this.#retryMs = MIN_RETRY_MS;
      this.#store.update({ connection: 'live' });
      void this.#store.refreshAll();
    };
    source.onerror = () => {
      if (this.#source !== source) return;
      if (source.readyState === EventSource.CLOSED) {
        this.#store.update({ connection: 'offline' });
        this.#scheduleReopen();
      } else {
        this.#store.update({ connection: 'reconnecting' });
      }
    };
    source.addEventListener('hello', (message: MessageEvent<string>) => {
      const hello = parse(message.data) as { ids?: unknown } | null;
      if (Array.isArray(hello?.ids)) this.#store.hello(hello.ids as (string | null)[]);
    });
    source.addEventListener('changes', (message: MessageEvent<string>) => {
      const changes = parse(message.data) as LiveChanges | null;
      if (typeof changes?.at === 'number') this.#store.applyChanges(changes);
    });
    source.addEventListener('action', (message: MessageEvent<string>) => {
      const action = parse(message.data) as LiveAction | null;
      if (typeof action?.id === 'string') this.#store.applyAction(action);
    });
  }

  #scheduleReopen(): void {
    this.#source?.close();
    this.#source = null;
    if (this.#closed || this.#retryTimer !== null) return;
    const delay = this.#retryMs;
    this.#retryMs = Math.min(MAX_RETRY_MS, this.#retryMs * 2);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#store.update({ connection: 'connecting' });
      this.#open();
    }, delay);
  }

  /** Drops the stream and opens a new one now (after the user gave a token, for example). */
  reconnect(): void {
    this.#source?.close();
    this.#source = null;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#retryMs = MIN_RETRY_MS;
    this.#open();
  }

  close(): void {
    this.#closed = true;
    this.#source?.close();
    this.#source = null;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }
}

/** A message that is not JSON is skipped: the next batch or the periodic re-read catches up. */
function parse(data: string): unknown {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}
