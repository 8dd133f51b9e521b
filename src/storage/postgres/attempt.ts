/**
 * One attempt of a PostgreSQL call. Failures that mean "the server is unavailable right now" (no
 * connection, a dropped connection, a server shutting down or out of connections, a
 * serialization conflict) become DatabaseConnectionErrors, which the resilience classifier retries
 * and the `database` breaker counts. A refused login and a missing database become StorageErrors
 * that say what to fix. Every message names the server, never the password.
 */
import { CircuitOpenError, DatabaseConnectionError, isCircuitOpenError } from '../../resilience/index.js';
import { describe } from '../attempt.js';
import { StorageError } from '../errors.js';

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** SQLSTATEs of a server that is there but cannot serve now. */
const UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01', '55P03']);
const DROPPED =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection closed/i;

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** The StorageError or DatabaseConnectionError that `error` means, or `error` itself (a bug in the call). */
export function translatePgError(error: unknown, server: string): unknown {
  if (error instanceof StorageError || error instanceof DatabaseConnectionError) return error;
  const code = codeOf(error);
  const detail = describe(error);
  if (code === '28P01' || code === '28000') {
    return new StorageError(
      'LOGIN_REFUSED',
      `PostgreSQL ${server} refused the login (${detail}); check the user and password in the storage URL`,
      { path: server, cause: error },
    );
  }
  if (code === '3D000') {
    return new StorageError(
      'CANNOT_OPEN',
      `PostgreSQL ${server}: ${detail}; create the database (createdb) or fix the storage URL`,
      { path: server, cause: error },
    );
  }
  if (code === '42501') {
    return new StorageError(
      'READ_ONLY',
      `PostgreSQL ${server}: ${detail}; the user needs the right to create and write tables`,
      { path: server, cause: error },
    );
  }
  if (NETWORK.has(code) || code.startsWith('08') || UNAVAILABLE.has(code) || DROPPED.test(detail)) {
    const what =
      code === 'ECONNREFUSED' ? 'refuses connections (is it running?)' : `is unavailable: ${detail}`;
    return new DatabaseConnectionError(`PostgreSQL ${server} ${what}${code === '' ? '' : ` (${code})`}`, {
      cause: error,
    });
  }
  return error;
}

export async function runPgAttempt<T>(server: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translatePgError(error, server);
  }
}

/**
 * The breaker's refusal, saying which server it spares: the breaker is named after the
 * operation (`database`), and an operator with two instances needs to know which database is down.
 */
export function nameRefusal(error: unknown, server: string): unknown {
  if (!isCircuitOpenError(error)) return error;
  const seconds = Math.ceil(error.retryAfterMs / 1000);
  return new CircuitOpenError(
    `PostgreSQL ${server} is not tried for ${seconds} s: ${error.message} after repeated failures${error.cause === undefined ? '' : ` (last: ${describe(error.cause)})`}`,
    { breakerName: error.breakerName, retryAfterMs: error.retryAfterMs, cause: error.cause },
  );
}
