/**
 * Server-sent events: one stream per client, fed from the monitor's events coalesced into one
 * compact batch per flush interval (liveBatch.ts has the format). Each stream ends when its
 * client goes away, when it falls too far behind, or when the server closes.
 */
import type { ServerResponse } from 'node:http';
import type { Monitor } from '../monitor/types.js';
import type { ActionSource } from './deps.js';
import { LiveBatch } from './liveBatch.js';

/** How long a browser waits before reconnecting after the stream drops. */
export const SSE_RETRY_MS = 3000;
/** A client that leaves this much unsent is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface EventStreamsOptions {
  readonly heartbeatMs: number;
  readonly maxStreams: number;
  /** Least time between two batches on a stream. */
  readonly flushMs: number;
  /** Epoch ms, for the batches' `at`. */
  readonly now: () => number;
  /** Fleet actions, streamed as `action` messages. @default none */
  readonly actions?: ActionSource;
}

export function formatMessage(name: string, data: string): string {
  return `event: ${name}\ndata: ${data}\n\n`;
}

export class EventStreams {
  readonly #clients = new Set<ServerResponse>();
  readonly #options: EventStreamsOptions;
  readonly #monitor: Monitor;
  readonly #batch = new LiveBatch();
  #unsubscribe: (() => void) | null = null;
  #unsubscribeActions: (() => void) | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #flushTimer: NodeJS.Timeout | null = null;
  #lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(monitor: Monitor, options: EventStreamsOptions) {
    this.#monitor = monitor;
    this.#options = options;
  }

  get size(): number {
    return this.#clients.size;
  }

  get full(): boolean {
    return this.#clients.size >= this.#options.maxStreams;
  }

  /** Takes over a raw response whose headers have not been sent. */
  add(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${SSE_RETRY_MS}\n: connected\n\n${formatMessage('hello', this.#batch.hello())}`);
    // The newcomer reads the miner list itself; the next batch then carries every field again,
    // so whatever the list and the batches raced, the newest values win.
    this.#batch.resetSent();
    this.#clients.add(res);
    const socket = res.socket;
    res.once('close', () => {
      this.#drop(res);
      // A stream never ends by itself; once its client is gone, nothing else may use the socket.
      socket?.destroy();
    });
    this.#start();
  }

  #start(): void {
    if (this.#unsubscribe === null) {
      this.#unsubscribe = this.#monitor.subscribe((event) => {
        this.#batch.add(event);
        this.#scheduleFlush();
      });
    }
    if (this.#unsubscribeActions === null && this.#options.actions !== undefined) {
      this.#unsubscribeActions = this.#options.actions.subscribe((change) => {
        this.#batch.addAction(change);
        this.#scheduleFlush();
      });
    }
    if (this.#heartbeat === null) {
      this.#heartbeat = setInterval(() => this.#broadcast(': heartbeat\n\n'), this.#options.heartbeatMs);
      this.#heartbeat.unref();
    }
  }

  #scheduleFlush(): void {
    if (this.#flushTimer !== null) return;
    const wait = Math.max(0, this.#lastFlushAt + this.#options.flushMs - performance.now());
    this.#flushTimer = setTimeout(() => this.#flush(), Math.min(wait, this.#options.flushMs));
    this.#flushTimer.unref();
  }

  #flush(): void {
    this.#flushTimer = null;
    this.#lastFlushAt = performance.now();
    const data = this.#batch.take(this.#options.now());
    const actions = this.#batch.takeActions();
    if (data !== null) this.#broadcast(formatMessage('changes', data));
    for (const action of actions) this.#broadcast(formatMessage('action', action));
  }

  #broadcast(chunk: string): void {
    for (const res of this.#clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.end();
        this.#drop(res);
        continue;
      }
      res.write(chunk);
    }
  }

  #drop(res: ServerResponse): void {
    this.#clients.delete(res);
    if (this.#clients.size > 0) return;
    // Nobody listens: stop listening to the monitor and stop the heartbeat.
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#unsubscribeActions?.();
    this.#unsubscribeActions = null;
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    this.#batch.take(this.#options.now());
    this.#batch.takeActions();
  }

  /** Ends every stream; used when the server closes so that `close()` does not wait on them. */
  closeAll(): void {
    for (const res of [...this.#clients]) {
      res.end();
      this.#drop(res);
    }
  }
}
