/**
 * What one attempt of HttpSessionManager rejects with: a non-2xx answer as HttpStatusError (with
 * the device's Retry-After), and any other failure mapped onto the library's errors, on the same
 * mapping (transportError.ts) as the fresh-connection and cgminer paths.
 */
import { HttpStatusError, parseRetryAfter } from '../../resilience/index.js';
import type { HeaderValue } from './HttpResponse.js';
import { tooLarge } from './readBody.js';
import { mapTransportError } from './transportError.js';

export function statusError(
  method: string,
  url: URL,
  status: number,
  headers: Record<string, HeaderValue>,
  now: number,
): HttpStatusError {
  const retryAfter = headers['retry-after'];
  const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, now);
  return new HttpStatusError(`${method} ${url.href}: HTTP ${status}`, {
    status,
    url: url.href,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

export interface AttemptFailure {
  /** `GET http://host/path`. */
  readonly what: string;
  readonly origin: string;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  /** The whole-answer deadline fired (the body stream was destroyed for it). */
  readonly timedOut: boolean;
  readonly caller: AbortSignal | undefined;
  /** This request's size cap. */
  readonly limit: number;
}

/** The caller's abort wins; our own errors pass; the rest goes through mapTransportError. */
export function mapAttemptError(error: unknown, failure: AttemptFailure): unknown {
  const { what, origin, timeoutMs, connectTimeoutMs, timedOut, caller, limit } = failure;
  if (caller?.aborted) return caller.reason;
  if (error instanceof HttpStatusError) return error;
  if ((error as { code?: unknown } | null)?.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    // The parser's cap is the session's; the body was over this request's cap too.
    return tooLarge(what, limit, error);
  }
  const context = { what, target: origin, timeoutMs, connectTimeoutMs };
  if (timedOut) {
    return mapTransportError(
      Object.assign(new Error(`deadline of ${timeoutMs} ms passed`), { code: 'ETIMEDOUT', cause: error }),
      context,
    );
  }
  return mapTransportError(error, context);
}
