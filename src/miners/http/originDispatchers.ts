/**
 * The session's per-origin undici dispatchers and when each origin was last used: whether a
 * request may reuse a connection, the dispatcher it goes through, and forgetting origins that
 * hold no connection or went idle (see HttpSessionManager for the memory figures behind this).
 */
import { buildConnector, Client, Pool } from 'undici';
import type { Clock } from '../../resilience/index.js';

export type Dispatcher = Client | Pool;

export interface OriginDispatchersOptions {
  readonly connectTimeoutMs: number;
  readonly keepAlive: boolean;
  readonly keepAliveTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly connections: number;
  readonly clock: Clock;
}

/**
 * An origin nobody used for this long is forgotten (its dispatcher closed if it still had one,
 * for a clock that does not move with the sockets' own timers); checked at most once a minute.
 */
const IDLE_ORIGIN_MS = 600_000;

export class OriginDispatchers {
  readonly #options: OriginDispatchersOptions;
  /** Shared by every origin's dispatcher (one per dispatcher otherwise). */
  readonly #connector: buildConnector.connector;
  readonly #dispatchers = new Map<string, Dispatcher>();
  /** When each origin's last request started, by the session's clock. */
  readonly #lastUsed = new Map<string, number>();
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: OriginDispatchersOptions) {
    this.#options = options;
    this.#connector = buildConnector({ timeout: options.connectTimeoutMs });
  }

  /** Origins with a dispatcher (a connection, or a request on its way) right now. */
  get origins(): string[] {
    return [...this.#dispatchers.keys()];
  }

  /**
   * Whether to keep the connection after this request: only if keep-alive is on and the origin's
   * previous request came within the idle cap (a first request is given the benefit of the
   * doubt). A miner polled less often than that gets a fresh connection every time anyway.
   */
  mayReuse(origin: string): boolean {
    const now = this.#options.clock.now();
    const last = this.#lastUsed.get(origin);
    this.#lastUsed.set(origin, now);
    if (last === undefined) this.#sweep(now);
    return this.#options.keepAlive && (last === undefined || now - last <= this.#options.keepAliveTimeoutMs);
  }

  dispatcher(origin: string): Dispatcher {
    const existing = this.#dispatchers.get(origin);
    if (existing !== undefined) return existing;
    const options = {
      connect: this.#connector,
      keepAliveTimeout: this.#options.keepAliveTimeoutMs,
      keepAliveMaxTimeout: this.#options.keepAliveTimeoutMs,
      maxResponseSize: this.#options.maxResponseBytes,
      pipelining: 1,
    };
    const dispatcher: Dispatcher =
      this.#options.connections === 1
        ? new Client(origin, options)
        : new Pool(origin, { ...options, connections: this.#options.connections });
    // Forget it once it holds no connection: a fleet polled every 10 s would otherwise keep one
    // per miner for nothing. Queued requests still finish (close() waits for them).
    let connected = 0;
    const release = (): void => {
      if (connected > 0 || this.#dispatchers.get(origin) !== dispatcher) return;
      this.#dispatchers.delete(origin);
      void dispatcher.close().catch(() => {});
    };
    dispatcher.on('connect', () => {
      connected += 1;
    });
    dispatcher.on('disconnect', () => {
      connected -= 1;
      release();
    });
    dispatcher.on('connectionError', release);
    this.#dispatchers.set(origin, dispatcher);
    return dispatcher;
  }

  /**
   * Forgets origins unused for 10 minutes, checked at most once a minute when a new origin comes:
   * a discovery scan of a /24 must not leave 254 entries behind for the life of the process.
   */
  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    for (const [origin, used] of this.#lastUsed) {
      if (now - used < IDLE_ORIGIN_MS) continue;
      this.#lastUsed.delete(origin);
      const idle = this.#dispatchers.get(origin);
      if (idle === undefined) continue;
      this.#dispatchers.delete(origin);
      // No request has used it for minutes, so its sockets are long idle: closing is quiet.
      void idle.close().catch(() => {});
    }
  }

  /** Forgets one origin and destroys its sockets. */
  async closeOrigin(origin: string): Promise<void> {
    this.#lastUsed.delete(origin);
    const dispatcher = this.#dispatchers.get(origin);
    if (dispatcher === undefined) return;
    this.#dispatchers.delete(origin);
    await dispatcher.destroy();
  }

  /** Forgets every origin and destroys every socket. */
  async close(): Promise<void> {
    const dispatchers = [...this.#dispatchers.values()];
    this.#dispatchers.clear();
    this.#lastUsed.clear();
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.destroy()));
  }
}
