/**
 * One owner of every HTTP connection to the miners: an undici Pool per origin, timeouts, a size
 * cap, and retries with a breaker per origin (`http_requests:<origin>`) so one dead miner never
 * blocks the others. undici was picked over node:http by bench/miners-poll.bench.ts
 * (docs/bench/miners.md): it is faster both on fresh connections, which real devices force by
 * dropping idle sockets, and with keep-alive.
 */
import type { Readable } from 'node:stream';
import { Pool } from 'undici';
import {
  type Clock,
  HttpStatusError,
  parseRetryAfter,
  type RetryConfig,
  type RetryManager,
  retry,
  systemClock,
  ValidationError,
} from '../../resilience/index.js';
import { type HeaderValue, HttpResponse } from './HttpResponse.js';
import { readCapped, tooLarge } from './readBody.js';
import { mapTransportError } from './transportError.js';

export interface HttpSessionOptions {
  /** @default 2000 */
  readonly connectTimeoutMs?: number;
  /** Total time for one attempt: connect, headers and body. @default 5000 */
  readonly timeoutMs?: number;
  /** @default 1048576 (1 MiB) */
  readonly maxResponseBytes?: number;
  /** Reuse connections. Devices drop idle sockets, so idle ones are closed early. @default true */
  readonly keepAlive?: boolean;
  /** Idle time after which we close a kept socket ourselves. @default 4000 */
  readonly keepAliveTimeoutMs?: number;
  /** Sockets per origin (AxeOS serves about 20 in all). @default 2 */
  readonly connectionsPerOrigin?: number;
  /** Retry and breaker settings. @default retryHttpRequest's: 3 attempts, 1 s base, 30 s cap */
  readonly retry?: Partial<RetryConfig>;
  /** Where the per-origin breakers live. @default the global retryManager */
  readonly manager?: RetryManager;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: () => number;
  /** Told after every attempt (for metrics); must not throw. */
  readonly onRequest?: (event: HttpRequestEvent) => void;
}

export interface RequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
  /** Overrides the session's total time per attempt. */
  readonly timeoutMs?: number;
  /** Attempts in all; GET/HEAD/OPTIONS only unless `idempotent`. */
  readonly maxAttempts?: number;
  /** Says a non-GET request is safe to send twice. @default false */
  readonly idempotent?: boolean;
  /** Go through the origin's breaker. Probes of unknown hosts pass false. @default true */
  readonly breaker?: boolean;
  readonly maxResponseBytes?: number;
}

export interface HttpRequestEvent {
  readonly method: string;
  readonly url: string;
  readonly origin: string;
  readonly attempt: number;
  readonly durationMs: number;
  readonly status: number | null;
  readonly error: unknown;
}

/** retryHttpRequest's defaults, so makeRequest retries as the preset does. */
const HTTP_RETRY_DEFAULTS: Partial<RetryConfig> = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
});

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new ValidationError(`Expected \`${name}\` to be a positive number, got ${String(value)}`, {
      field: name,
    });
  }
  return value;
}

/** Drops a body we will not read; the abort error it then emits has nobody to tell. */
function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

export class HttpSessionManager {
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly keepAlive: boolean;
  readonly #keepAliveTimeoutMs: number;
  readonly #connections: number;
  readonly #retry: Partial<RetryConfig>;
  readonly #options: HttpSessionOptions;
  readonly #clock: Clock;
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  constructor(options: HttpSessionOptions = {}) {
    this.connectTimeoutMs = positive('connectTimeoutMs', options.connectTimeoutMs, 2000);
    this.timeoutMs = positive('timeoutMs', options.timeoutMs, 5000);
    this.maxResponseBytes = positive('maxResponseBytes', options.maxResponseBytes, 1024 * 1024);
    this.#keepAliveTimeoutMs = positive('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 4000);
    this.#connections = positive('connectionsPerOrigin', options.connectionsPerOrigin, 2);
    this.keepAlive = options.keepAlive ?? true;
    this.#retry = { ...HTTP_RETRY_DEFAULTS, ...options.retry };
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Origins with a pool right now. */
  get origins(): string[] {
    return [...this.#pools.keys()];
  }

  /** The breaker name requests to `origin` go through. */
  static breakerName(origin: string): string {
    return `http_requests:${origin}`;
  }

  /**
   * Sends one request, retried as `retryHttpRequest` would (safe methods only, unless
   * `idempotent`), through the origin's breaker. Resolves with a 2xx answer; rejects with
   * MinerConnectionError, MinerTimeoutError, HttpStatusError (status, retryAfterMs),
   * ResponseTooLargeError, MinerResponseError (not HTTP), CircuitOpenError, or the signal's reason.
   */
  async makeRequest(method: string, url: string | URL, options: RequestOptions = {}): Promise<HttpResponse> {
    if (this.#closed) throw new ValidationError('The HTTP session manager is closed');
    const verb = method.toUpperCase();
    const target = typeof url === 'string' ? new URL(url) : url;
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new ValidationError(`Expected an http(s) URL, got ${target.href}`, { field: 'url' });
    }
    const retriable = SAFE_METHODS.has(verb) || options.idempotent === true;
    const maxAttempts = retriable ? (options.maxAttempts ?? this.#retry.maxAttempts ?? 3) : 1;
    const origin = target.origin;
    return retry((attempt) => this.#once(verb, target, options, attempt), {
      ...this.#retry,
      maxAttempts,
      clock: this.#clock,
      ...(options.breaker === false ? {} : { circuitBreaker: HttpSessionManager.breakerName(origin) }),
      ...(this.#options.manager === undefined ? {} : { manager: this.#options.manager }),
      ...(this.#options.random === undefined ? {} : { random: this.#options.random }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  async #once(method: string, url: URL, options: RequestOptions, attempt: number): Promise<HttpResponse> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const limit = options.maxResponseBytes ?? this.maxResponseBytes;
    const what = `${method} ${url.href}`;
    const started = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const onAbort = (): void => deadline.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let status: number | null = null;
    try {
      const response = await this.#pool(url.origin).request({
        path: `${url.pathname}${url.search}`,
        method: method as 'GET',
        ...(options.headers === undefined ? {} : { headers: options.headers }),
        ...(options.body === undefined ? {} : { body: options.body }),
        signal: deadline.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        reset: !this.keepAlive,
      });
      status = response.statusCode;
      const headers = response.headers as Record<string, HeaderValue>;
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        discard(response.body);
        throw tooLarge(what, limit);
      }
      if (status < 200 || status > 299) {
        // The body of an error page is not needed; dropping it frees the socket at once.
        discard(response.body);
        const retryAfter = headers['retry-after'];
        const retryAfterMs = parseRetryAfter(
          Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
          this.#clock.now(),
        );
        throw new HttpStatusError(`${what}: HTTP ${status}`, {
          status,
          url: url.href,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      }
      // The pool enforces the session's cap in its parser; only a per-request cap reads by hand.
      const body =
        limit === this.maxResponseBytes
          ? Buffer.from(await response.body.arrayBuffer())
          : await readCapped(response.body, limit, what);
      const result = new HttpResponse(method, url.href, status, headers, body);
      this.#report(method, url, attempt, started, status, null);
      return result;
    } catch (error) {
      const mapped = this.#mapError(error, what, url.origin, timeoutMs, deadline.signal, options.signal);
      this.#report(method, url, attempt, started, status, mapped);
      throw mapped;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  #mapError(
    error: unknown,
    what: string,
    origin: string,
    timeoutMs: number,
    deadline: AbortSignal,
    caller: AbortSignal | undefined,
  ): unknown {
    if (caller?.aborted) return caller.reason;
    if (error instanceof HttpStatusError) return error;
    if ((error as { code?: unknown } | null)?.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
      return tooLarge(what, this.maxResponseBytes, error);
    }
    if (deadline.aborted) {
      return mapTransportError(
        Object.assign(new Error(`deadline of ${timeoutMs} ms passed`), { code: 'ETIMEDOUT', cause: error }),
        {
          what,
          target: origin,
          timeoutMs,
          connectTimeoutMs: this.connectTimeoutMs,
        },
      );
    }
    return mapTransportError(error, {
      what,
      target: origin,
      timeoutMs,
      connectTimeoutMs: this.connectTimeoutMs,
    });
  }

  #report(
    method: string,
    url: URL,
    attempt: number,
    started: number,
    status: number | null,
    error: unknown,
  ): void {
    const listener = this.#options.onRequest;
    if (listener === undefined) return;
    try {
      listener({
        method,
        url: url.href,
        origin: url.origin,
        attempt,
        durationMs: performance.now() - started,
        status,
        error,
      });
    } catch {
      // A metrics hook must never turn a good answer into a failure.
    }
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.#connections,
        connect: { timeout: this.connectTimeoutMs },
        keepAliveTimeout: this.#keepAliveTimeoutMs,
        keepAliveMaxTimeout: this.#keepAliveTimeoutMs,
        maxResponseSize: this.maxResponseBytes,
        pipelining: 1,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** Closes one origin's sockets (a miner was removed). */
  async closeOrigin(origin: string): Promise<void> {
    const pool = this.#pools.get(origin);
    if (pool === undefined) return;
    this.#pools.delete(origin);
    await pool.destroy();
  }

  /** Closes every socket; requests still running fail. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
