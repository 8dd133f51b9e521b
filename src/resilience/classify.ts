/**
 * Which errors are worth another try. The order of the checks is the contract (see README, FAQ
 * "How are errors classified?"):
 *
 * 1. An own boolean `retryable` property wins. Other parts of an app mark their own errors with it
 *    (a malformed reply from a device is `retryable: false`) without this module knowing them.
 * 2. Our family: CircuitOpenError and ValidationError never; MinerConnection, MinerTimeout,
 *    DatabaseConnection and Network errors always.
 * 3. Aborts never (an `AbortError`, Node's `ABORT_ERR`, undici's `UND_ERR_ABORTED`).
 * 4. HTTP status (`status`, `statusCode` or `response.status`): 408, 429 and 5xx yes, other 4xx no.
 * 5. Codes: Node's transient socket and DNS codes, undici's socket and timeout codes and SQLite
 *    BUSY/LOCKED yes; other undici codes and other SQLite codes (constraint, syntax...) no.
 * 6. Names: `TimeoutError` yes; a `fetch failed` TypeError is judged by its `cause` (no cause:
 *    yes); any other TypeError whose `cause` chain holds a transient code is judged by that code
 *    (undici's `terminated` when a socket drops mid-body, cause `UND_ERR_SOCKET`); other
 *    TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError no.
 * 7. An AggregateError (Node's happy-eyeballs connect) is retryable if any error inside is.
 * 8. Anything else with a `cause` is judged by the cause; without one it is retryable.
 */
import { isResilienceError } from './errors.js';

/** How deep `cause` chains are followed; deeper chains are treated as unknown (retryable). */
const MAX_CAUSE_DEPTH = 8;

/** Node's transient socket and DNS error codes. */
const TRANSIENT_NODE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'EPIPE',
  'ENOTCONN',
]);

/** undici codes that mean the network or the peer failed, not our request. */
const TRANSIENT_UNDICI_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

const ABORT_CODES: ReadonlySet<string> = new Set(['ABORT_ERR', 'UND_ERR_ABORTED']);

/** Built-in error names that mean a bug in the caller, which no retry can fix. */
const PROGRAMMING_ERROR_NAMES: ReadonlySet<string> = new Set([
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'EvalError',
  'URIError',
]);

type Verdict = boolean | undefined;

function ownRetryable(error: object): Verdict {
  if (!Object.hasOwn(error, 'retryable')) return undefined;
  const value = (error as { retryable?: unknown }).retryable;
  return typeof value === 'boolean' ? value : undefined;
}

function familyVerdict(error: object): Verdict {
  if (!isResilienceError(error)) return undefined;
  switch (error.code) {
    case 'CIRCUIT_OPEN':
    case 'VALIDATION':
      return false;
    case 'MINER_CONNECTION':
    case 'MINER_TIMEOUT':
    case 'DATABASE_CONNECTION':
    case 'NETWORK':
      return true;
    default:
      // HTTP_STATUS is judged by its status below; the bare base class by its cause.
      return undefined;
  }
}

/** The HTTP status an error carries, if any. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as { status?: unknown; statusCode?: unknown; response?: unknown };
  if (typeof record.status === 'number') return record.status;
  if (typeof record.statusCode === 'number') return record.statusCode;
  const response = record.response;
  if (typeof response === 'object' && response !== null) {
    const status = (response as { status?: unknown }).status;
    if (typeof status === 'number') return status;
  }
  return undefined;
}

function statusVerdict(status: number | undefined): Verdict {
  if (status === undefined || !Number.isInteger(status)) return undefined;
  if (status === 408 || status === 429) return true;
  if (status >= 500 && status <= 599) return true;
  if (status >= 400 && status <= 499) return false;
  return undefined;
}

function codeVerdict(code: unknown): Verdict {
  if (typeof code !== 'string') return undefined;
  if (ABORT_CODES.has(code)) return false;
  if (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_UNDICI_CODES.has(code)) return true;
  if (code.startsWith('UND_ERR_')) return false;
  // better-sqlite3 reports extended codes such as SQLITE_BUSY_SNAPSHOT; the prefix is the class.
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return true;
  if (code.startsWith('SQLITE_')) return false;
  return undefined;
}

/** True when an error along the `cause` chain carries a code that `codeVerdict` calls transient. */
function transientCodeInChain(error: unknown, depth: number): boolean {
  let current = error;
  for (let level = depth; level <= MAX_CAUSE_DEPTH; level += 1) {
    if (typeof current !== 'object' || current === null) return false;
    if (codeVerdict((current as { code?: unknown }).code) === true) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function classify(error: unknown, depth: number): boolean {
  if (typeof error !== 'object' || error === null) return true;
  const own = ownRetryable(error);
  if (own !== undefined) return own;
  const family = familyVerdict(error);
  if (family !== undefined) return family;

  const name = (error as { name?: unknown }).name;
  if (name === 'AbortError') return false;
  const byStatus = statusVerdict(statusOf(error));
  if (byStatus !== undefined) return byStatus;
  const byCode = codeVerdict((error as { code?: unknown }).code);
  if (byCode !== undefined) return byCode;

  const cause = (error as { cause?: unknown }).cause;
  const hasCause = cause !== undefined && cause !== null;
  if (name === 'TimeoutError') return true;
  if (name === 'TypeError' && (error as { message?: unknown }).message === 'fetch failed') {
    return hasCause && depth < MAX_CAUSE_DEPTH ? classify(cause, depth + 1) : true;
  }
  if (name === 'TypeError' && hasCause && transientCodeInChain(cause, depth + 1)) return true;
  if (typeof name === 'string' && PROGRAMMING_ERROR_NAMES.has(name)) return false;
  if (error instanceof AggregateError && error.errors.length > 0 && depth < MAX_CAUSE_DEPTH) {
    return error.errors.some((inner) => classify(inner, depth + 1));
  }
  if (hasCause && depth < MAX_CAUSE_DEPTH) return classify(cause, depth + 1);
  return true;
}

/**
 * True when another attempt may succeed. Unknown errors (a plain `Error` with no known code or
 * cause, a thrown string) are retryable: a transient fault is likelier than a permanent one in
 * what this library wraps, and breakers bound the cost of being wrong.
 */
export function isRetryable(error: unknown): boolean {
  return classify(error, 0);
}

/**
 * Milliseconds the failing side asked us to wait (`retryAfterMs` on the error or along its
 * `cause` chain), or `undefined`. Parsing the header is the HTTP layer's job (`parseRetryAfter`).
 */
export function retryAfterMsOf(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth += 1) {
    if (typeof current !== 'object' || current === null) return undefined;
    const value = (current as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
