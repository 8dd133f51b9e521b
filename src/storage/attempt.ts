/**
 * One attempt of a database call. SQLite failures that mean "unavailable right now" (another
 * writer's lock, an I/O error, a full disk) become DatabaseConnectionErrors, which the resilience
 * classifier retries and the `database` breaker counts; any other SQLite error is a bug in the
 * call and passes through unchanged, neither retried nor counted.
 */
import { DatabaseConnectionError } from '../resilience/index.js';

const TRANSIENT = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL)/;

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function runAttempt<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && TRANSIENT.test(code)) {
      throw new DatabaseConnectionError(`Database ${path}: ${describe(error)} (${code})`, { cause: error });
    }
    throw error;
  }
}
