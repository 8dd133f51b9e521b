/**
 * Server-sent events: one stream per client, fed from the monitor's events. Each stream ends when
 * its client goes away, when it falls too far behind, or when the server closes.
 */
import type { ServerResponse } from 'node:http';
import type { Monitor, MonitorEvent } from '../monitor/types.js';

/** How long a browser waits before reconnecting after the stream drops. */
export const SSE_RETRY_MS = 3000;
/** A client that leaves this much unsent is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface EventStreamsOptions {
  readonly heartbeatMs: number;
  readonly maxStreams: number;
}

export function formatEvent(event: MonitorEvent): string {
  // The event name is the MonitorEvent type; the data is the whole event, type included.
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export class EventStreams {
  readonly #clients = new Set<ServerResponse>();
  readonly #options: EventStreamsOptions;
  readonly #monitor: Monitor;
  #unsubscribe: (() => void) | null = null;
  #heartbeat: NodeJS.Timeout | null = null;

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
    res.write(`retry: ${SSE_RETRY_MS}\n: connected\n\n`);
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
      this.#unsubscribe = this.#monitor.subscribe((event) => this.#broadcast(formatEvent(event)));
    }
    if (this.#heartbeat === null) {
      this.#heartbeat = setInterval(() => this.#broadcast(': heartbeat\n\n'), this.#options.heartbeatMs);
      this.#heartbeat.unref();
    }
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
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  /** Ends every stream; used when the server closes so that `close()` does not wait on them. */
  closeAll(): void {
    for (const res of [...this.#clients]) {
      res.end();
      this.#drop(res);
    }
  }
}
