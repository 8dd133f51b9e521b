/**
 * Errors that storage raises itself. Each names the database file and says what to do, because
 * the person reading it is an operator looking at a start-up failure, not a developer.
 */

/** Stable codes of storage errors. */
export type StorageErrorCode =
  | 'NOT_A_DATABASE'
  | 'READ_ONLY'
  | 'NEWER_SCHEMA'
  | 'CANNOT_OPEN'
  | 'CANNOT_CONNECT'
  | 'LOGIN_REFUSED'
  | 'CLOSED'
  | 'NOT_INITIALIZED'
  | 'UNFLUSHED';

export interface StorageErrorOptions {
  readonly cause?: unknown;
  /** The database concerned: a file, or a server named without its password. */
  readonly path: string;
}

/**
 * A storage failure that no retry can fix. `retryable` is an own `false` so that the resilience
 * classifier (which reads it first) neither retries it nor counts it against the breaker.
 */
export class StorageError extends Error {
  override readonly name: string = 'StorageError';
  readonly code: StorageErrorCode;
  readonly path: string;
  readonly retryable: boolean = false;

  constructor(code: StorageErrorCode, message: string, options: StorageErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}

/** The database holds a schema written by a newer solowatch. */
export class NewerSchemaError extends StorageError {
  override readonly name: string = 'NewerSchemaError';
  readonly foundVersion: number;
  readonly supportedVersion: number;

  /** @param elsewhere what else the operator can point solowatch at (a file's folder, a server's database) */
  constructor(
    path: string,
    foundVersion: number,
    supportedVersion: number,
    elsewhere = 'another data directory',
  ) {
    super(
      'NEWER_SCHEMA',
      `Database ${path} has schema version ${foundVersion}, newer than version ${supportedVersion} that this solowatch understands; upgrade solowatch or use ${elsewhere}`,
      { path },
    );
    this.foundVersion = foundVersion;
    this.supportedVersion = supportedVersion;
  }
}

export function isStorageError(error: unknown): error is StorageError {
  return error instanceof StorageError;
}

export function isNewerSchemaError(error: unknown): error is NewerSchemaError {
  return error instanceof NewerSchemaError;
}
