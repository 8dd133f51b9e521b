/**
 * Live updates over server-sent events. The browser's EventSource reconnects by itself after a
 * network error; when the server refuses the stream outright (it closes for good) we reconnect
 * with capped backoff. Every (re)connection re-reads the whole state, since events sent while we
 * were away are gone.
 */
import { eventsUrl } from './api.js';
import type { Store } from './store.js';
import type { MonitorEvent } from './types.js';

const EVENT_NAMES = ['sample', 'status', 'event', 'alert', 'breaker', 'miner', 'restart'] as const;
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
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (message: MessageEvent<string>) => this.#onMessage(message));
    }
  }

  #onMessage(message: MessageEvent<string>): void {
    let event: MonitorEvent;
    try {
      event = JSON.parse(message.data) as MonitorEvent;
    } catch {
      return;
    }
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string') return;
    this.#store.apply(event);
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
