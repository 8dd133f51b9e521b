/**
 * One owner of every HTTP connection to the miners: an undici Client per origin that holds a
 * connection right now, timeouts, a size cap, and retries. It keeps no breaker: each miner is
 * guarded by its one breaker `miner_operations:<id>` in the monitor, which every call to it goes
 * through (DESIGN.md), so a second one here could only disagree with it. undici was picked over
 * node:http by bench/miners-poll.bench.ts (docs/bench/miners.md): clearly faster with keep-alive
 * and free of the stale-socket resets node:http's agent showed there.
 *
 * Memory decides the rest (docs/bench/monitor.md): a Pool is ~19 KB even without a socket (its
 * request queue), a Client ~1.4 KB, and a miner is never polled twice at once, so one connection
 * per origin is enough. A Client is dropped as soon as it has no connection, and a request that
 * comes longer than the keep-alive time after the origin's last one (a 10 s poll against a 4 s
 * idle cap) asks the device to close after answering: keep-alive could not pay off, so neither
 * side holds an idle socket and a 10,000-miner fleet holds only the polls in flight.
 */
import type { Readable } from 'node:stream';
import {
  type Clock,
  type RetryConfig,
  type RetryOptions,
  retry,
  systemClock,
  ValidationError,
} from '../../resilience/index.js';
import { freshRequest } from './freshRequest.js';
import { type HeaderValue, HttpResponse } from './HttpResponse.js';
import { OriginDispatchers } from './originDispatchers.js';
import { readCapped, tooLarge } from './readBody.js';
import { mapAttemptError, statusError } from './requestErrors.js';

export interface HttpSessionOptions {
  /** @default 2000 */
  readonly connectTimeoutMs?: number;
  /**
   * Time for one attempt from sending the request to its last byte (a slow drip included);
   * connecting has its own `connectTimeoutMs`.
   * @default 5000
   */
  readonly timeoutMs?: number;
  /** @default 1048576 (1 MiB) */
  readonly maxResponseBytes?: number;
  /** Reuse connections. Devices drop idle sockets, so idle ones are closed early. @default true */
  readonly keepAlive?: boolean;
  /** Idle time after which we close a kept socket ourselves. @default 4000 */
  readonly keepAliveTimeoutMs?: number;
  /**
   * Sockets per origin (AxeOS serves about 20 in all). With 1 (the default) an origin costs a
   * Client, with more a Pool (~19 KB each, its request queue).
   * @default 1
   */
  readonly connectionsPerOrigin?: number;
  /** Retry settings. @default retryHttpRequest's: 3 attempts, 1 s base, 30 s cap */
  readonly retry?: Partial<RetryConfig>;
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
  readonly #retry: Partial<RetryConfig>;
  readonly #options: HttpSessionOptions;
  readonly #clock: Clock;
  readonly #origins: OriginDispatchers;
  #closed = false;

  constructor(options: HttpSessionOptions = {}) {
    this.connectTimeoutMs = positive('connectTimeoutMs', options.connectTimeoutMs, 2000);
    this.timeoutMs = positive('timeoutMs', options.timeoutMs, 5000);
    this.maxResponseBytes = positive('maxResponseBytes', options.maxResponseBytes, 1024 * 1024);
    const keepAliveTimeoutMs = positive('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 4000);
    const connections = positive('connectionsPerOrigin', options.connectionsPerOrigin, 1);
    this.keepAlive = options.keepAlive ?? true;
    this.#retry = { ...HTTP_RETRY_DEFAULTS, ...options.retry };
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#origins = new OriginDispatchers({
      connectTimeoutMs: this.connectTimeoutMs,
      keepAlive: this.keepAlive,
      keepAliveTimeoutMs,
      maxResponseBytes: this.maxResponseBytes,
      connections,
      clock: this.#clock,
    });
  }

  /** Origins with a dispatcher (a connection, or a request on its way) right now. */
  get origins(): string[] {
    return this.#origins.origins;
  }

  /**
   * Sends one request, retried as `retryHttpRequest` would (safe methods only, unless
   * `idempotent`). Resolves with a 2xx answer; rejects with MinerConnectionError,
   * MinerTimeoutError, HttpStatusError (status, retryAfterMs), ResponseTooLargeError,
   * MinerResponseError (not HTTP), or the signal's reason.
   */
  async makeRequest(method: string, url: string | URL, options: RequestOptions = {}): Promise<HttpResponse> {
    if (this.#closed) throw new ValidationError('The HTTP session manager is closed');
    const verb = method.toUpperCase();
    const target = typeof url === 'string' ? new URL(url) : url;
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new ValidationError(`Expected an http(s) URL, got ${target.href}`, { field: 'url' });
    }
    const retriable = SAFE_METHODS.has(verb) || options.idempotent === true;
    const retryOptions: RetryOptions = {
      ...this.#retry,
      maxAttempts: retriable ? (options.maxAttempts ?? this.#retry.maxAttempts ?? 3) : 1,
      clock: this.#clock,
      ...(this.#options.random === undefined ? {} : { random: this.#options.random }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    return retry((attempt) => this.#once(verb, target, options, attempt), retryOptions);
  }

  async #once(method: string, url: URL, options: RequestOptions, attempt: number): Promise<HttpResponse> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const limit = options.maxResponseBytes ?? this.maxResponseBytes;
    const started = performance.now();
    let status: number | null = null;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      const origin = url.origin;
      if (!this.#origins.mayReuse(origin)) {
        const reply = await freshRequest({
          method,
          url,
          headers: options.headers,
          body: options.body,
          signal: options.signal,
          connectTimeoutMs: this.connectTimeoutMs,
          timeoutMs,
          limitBytes: limit,
        });
        status = reply.status;
        if (reply.body === null)
          throw statusError(method, url, reply.status, reply.headers, this.#clock.now());
        const result = new HttpResponse(method, url.href, status, reply.headers, reply.body);
        this.#report(method, url, attempt, started, status, null);
        return result;
      }
      // Until the headers, undici's own timer bounds the wait (no AbortController per request:
      // on a keep-alive poll it is a measurable share of the client's CPU, see the bench).
      const response = await this.#origins.dispatcher(origin).request({
        path: `${url.pathname}${url.search}`,
        method: method as 'GET',
        ...(options.headers === undefined ? {} : { headers: options.headers }),
        ...(options.body === undefined ? {} : { body: options.body }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = response.statusCode;
      const headers = response.headers as Record<string, HeaderValue>;
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        discard(response.body);
        throw tooLarge(`${method} ${url.href}`, limit);
      }
      if (status < 200 || status > 299) {
        // The body of an error page is not needed; dropping it frees the socket at once.
        discard(response.body);
        throw statusError(method, url, status, headers, this.#clock.now());
      }
      // bodyTimeout restarts with every chunk, so a device dripping bytes would never trip it:
      // the whole answer must be in within timeoutMs of sending.
      const remaining = Math.max(1, timeoutMs - (performance.now() - started));
      timer = setTimeout(() => {
        timedOut = true;
        response.body.destroy(new Error(`deadline of ${timeoutMs} ms passed`));
      }, remaining);
      // The pool enforces the session's cap in its parser; only a per-request cap reads by hand.
      const body =
        limit === this.maxResponseBytes
          ? Buffer.from(await response.body.arrayBuffer())
          : await readCapped(response.body, limit, `${method} ${url.href}`);
      const result = new HttpResponse(method, url.href, status, headers, body);
      this.#report(method, url, attempt, started, status, null);
      return result;
    } catch (error) {
      const mapped = mapAttemptError(error, {
        what: `${method} ${url.href}`,
        origin: url.origin,
        timeoutMs,
        connectTimeoutMs: this.connectTimeoutMs,
        timedOut,
        caller: options.signal,
        limit,
      });
      this.#report(method, url, attempt, started, status, mapped);
      throw mapped;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
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

  /** Closes one origin's sockets (a miner was removed). */
  async closeOrigin(origin: string): Promise<void> {
    await this.#origins.closeOrigin(origin);
  }

  /** Closes every socket; requests still running fail. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#origins.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
