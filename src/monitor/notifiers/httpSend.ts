/**
 * How notifications leave the process: one function, so the app can pass the shared HTTP client
 * (or tests a recorder). The default uses Node's fetch (undici) and maps failures onto the
 * resilience error family, so retries and breakers classify them the same way everywhere.
 */
import { HttpStatusError, NetworkError, parseRetryAfter } from '../../resilience/index.js';
import { linkSignals } from '../../resilience/linkedSignal.js';
import type { HttpRequestSpec } from './Notifier.js';

export interface SendOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
}

/** Resolves on a 2xx answer; rejects with HttpStatusError (status, Retry-After) or NetworkError. */
export type HttpSend = (request: HttpRequestSpec, options: SendOptions) => Promise<void>;

export const fetchSend: HttpSend = async (request, options) => {
  // The dispatcher's signal lives as long as the process: AbortSignal.any on it would leave an
  // entry behind per notification (src/resilience/linkedSignal.ts).
  using linked = linkSignals(options.signal, AbortSignal.timeout(options.timeoutMs));
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: JSON.stringify(request.body),
      signal: linked.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new NetworkError(`Could not reach ${new URL(request.url).host}: ${describe(error)}`, {
      cause: error,
      target: new URL(request.url).host,
    });
  }
  // The body is read and dropped so the keep-alive socket goes back to the pool.
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
  throw new HttpStatusError(`${new URL(request.url).host} answered HTTP ${response.status}`, {
    status: response.status,
    url: request.url,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
};

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** The shape of the miners layer's HttpClient that notifications need. */
export interface HttpRequester {
  request(
    method: string,
    url: string,
    options: {
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string;
      readonly signal?: AbortSignal;
      readonly timeoutMs?: number;
      readonly maxAttempts?: number;
      readonly breaker?: boolean;
    },
  ): Promise<unknown>;
}

/**
 * Sends through the shared HttpClient (its session pool and error mapping), one attempt and no
 * per-origin breaker: the dispatcher's own retry and `notifier:<name>` breaker decide instead.
 * The answer is not parsed: a webhook that says `ok` in plain text has delivered.
 */
export function httpClientSend(client: HttpRequester): HttpSend {
  return async (request, options) => {
    await client.request(request.method, request.url, {
      headers: request.headers,
      body: JSON.stringify(request.body),
      timeoutMs: options.timeoutMs,
      maxAttempts: 1,
      breaker: false,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  };
}

/** The HttpClient a driver registry shares (`registry.context.http`), when it has one. */
export function httpClientOf(drivers: unknown): HttpRequester | undefined {
  const http = (drivers as { context?: { http?: unknown } } | null)?.context?.http;
  return typeof (http as HttpRequester | undefined)?.request === 'function'
    ? (http as HttpRequester)
    : undefined;
}
