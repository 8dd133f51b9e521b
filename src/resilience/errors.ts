/**
 * The resilience error family. Every class carries a stable `code` (safe to switch on, log and
 * send over the wire) and keeps the original error in `cause`, exactly as `Error` does.
 */

/** Stable codes of the resilience error family. */
export type ResilienceErrorCode =
  | 'RESILIENCE'
  | 'MINER_CONNECTION'
  | 'MINER_TIMEOUT'
  | 'DATABASE_CONNECTION'
  | 'NETWORK'
  | 'VALIDATION'
  | 'CIRCUIT_OPEN'
  | 'HTTP_STATUS';

export interface ResilienceErrorOptions {
  readonly cause?: unknown;
}

export interface TargetErrorOptions extends ResilienceErrorOptions {
  /** What was being reached, for example `10.0.0.5:80` or a miner id. */
  readonly target?: string;
}

export interface MinerTimeoutErrorOptions extends TargetErrorOptions {
  /** The timeout that expired. */
  readonly timeoutMs?: number;
}

export interface ValidationErrorOptions extends ResilienceErrorOptions {
  /** The input field at fault, when there is one. */
  readonly field?: string;
}

export interface CircuitOpenErrorOptions extends ResilienceErrorOptions {
  /** @default '' (unknown) */
  readonly breakerName?: string;
  /** Milliseconds until the breaker may let a call through. @default 0 */
  readonly retryAfterMs?: number;
}

export interface HttpStatusErrorOptions extends ResilienceErrorOptions {
  /** @default 0, meaning no status is known (judged like an error with no status). */
  readonly status?: number;
  /** `Retry-After` already parsed to milliseconds (see `parseRetryAfter`). */
  readonly retryAfterMs?: number;
  readonly url?: string;
}

function errorOptions(options: ResilienceErrorOptions | undefined): ErrorOptions | undefined {
  // Passing `{ cause: undefined }` would create an own `cause` property; keep it absent instead.
  return options !== undefined && 'cause' in options && options.cause !== undefined
    ? { cause: options.cause }
    : undefined;
}

/** Base of the family; `code` tells the kinds apart even across package copies. */
export class ResilienceError extends Error {
  override readonly name: string = 'ResilienceError';
  readonly code: ResilienceErrorCode = 'RESILIENCE';

  constructor(message: string, options?: ResilienceErrorOptions) {
    super(message, errorOptions(options));
  }
}

/** A miner could not be reached (refused, reset, unreachable). Retryable. */
export class MinerConnectionError extends ResilienceError {
  override readonly name: string = 'MinerConnectionError';
  override readonly code = 'MINER_CONNECTION';
  readonly target: string | undefined;

  constructor(message: string, options?: TargetErrorOptions) {
    super(message, options);
    this.target = options?.target;
  }
}

/** A miner did not answer in time. Retryable. */
export class MinerTimeoutError extends ResilienceError {
  override readonly name: string = 'MinerTimeoutError';
  override readonly code = 'MINER_TIMEOUT';
  readonly target: string | undefined;
  readonly timeoutMs: number | undefined;

  constructor(message: string, options?: MinerTimeoutErrorOptions) {
    super(message, options);
    this.target = options?.target;
    this.timeoutMs = options?.timeoutMs;
  }
}

/** The database could not be opened or is busy. Retryable. */
export class DatabaseConnectionError extends ResilienceError {
  override readonly name: string = 'DatabaseConnectionError';
  override readonly code = 'DATABASE_CONNECTION';
}

/** A network failure outside the miners (notifier, difficulty lookup). Retryable. */
export class NetworkError extends ResilienceError {
  override readonly name: string = 'NetworkError';
  override readonly code = 'NETWORK';
  readonly target: string | undefined;

  constructor(message: string, options?: TargetErrorOptions) {
    super(message, options);
    this.target = options?.target;
  }
}

/** Bad input: retrying cannot help. Never retryable. */
export class ValidationError extends ResilienceError {
  override readonly name: string = 'ValidationError';
  override readonly code = 'VALIDATION';
  readonly field: string | undefined;

  constructor(message: string, options?: ValidationErrorOptions) {
    super(message, options);
    this.field = options?.field;
  }
}

/** A breaker refused the call without running it. Never retried. */
export class CircuitOpenError extends ResilienceError {
  override readonly name: string = 'CircuitOpenError';
  override readonly code = 'CIRCUIT_OPEN';
  readonly breakerName: string;
  readonly retryAfterMs: number;

  /** `cause` is the failure that last opened the breaker, when it is known. */
  constructor(message: string, options?: CircuitOpenErrorOptions) {
    super(message, options);
    this.breakerName = options?.breakerName ?? '';
    this.retryAfterMs = options?.retryAfterMs ?? 0;
  }
}

/** A non-2xx HTTP answer. Retryable for 408, 429 and 5xx only. */
export class HttpStatusError extends ResilienceError {
  override readonly name: string = 'HttpStatusError';
  override readonly code = 'HTTP_STATUS';
  /** The HTTP status, or 0 when none was given. */
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  readonly url: string | undefined;

  constructor(message: string, options?: HttpStatusErrorOptions) {
    super(message, options);
    this.status = options?.status ?? 0;
    this.retryAfterMs = options?.retryAfterMs;
    this.url = options?.url;
  }
}

/**
 * The guards use `instanceof` first; the code-and-name check covers a second copy of this package
 * in node_modules, where `instanceof` fails but the error is still one of ours.
 */
export function isResilienceError(error: unknown): error is ResilienceError {
  if (error instanceof ResilienceError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && RESILIENCE_CODES.has(code) && error.name === CODE_TO_NAME[code];
}

const CODE_TO_NAME: Record<string, string> = {
  RESILIENCE: 'ResilienceError',
  MINER_CONNECTION: 'MinerConnectionError',
  MINER_TIMEOUT: 'MinerTimeoutError',
  DATABASE_CONNECTION: 'DatabaseConnectionError',
  NETWORK: 'NetworkError',
  VALIDATION: 'ValidationError',
  CIRCUIT_OPEN: 'CircuitOpenError',
  HTTP_STATUS: 'HttpStatusError',
};
const RESILIENCE_CODES = new Set(Object.keys(CODE_TO_NAME));

function hasCode(error: unknown, code: ResilienceErrorCode): boolean {
  return isResilienceError(error) && error.code === code;
}

export function isMinerConnectionError(error: unknown): error is MinerConnectionError {
  return error instanceof MinerConnectionError || hasCode(error, 'MINER_CONNECTION');
}
export function isMinerTimeoutError(error: unknown): error is MinerTimeoutError {
  return error instanceof MinerTimeoutError || hasCode(error, 'MINER_TIMEOUT');
}
export function isDatabaseConnectionError(error: unknown): error is DatabaseConnectionError {
  return error instanceof DatabaseConnectionError || hasCode(error, 'DATABASE_CONNECTION');
}
export function isNetworkError(error: unknown): error is NetworkError {
  return error instanceof NetworkError || hasCode(error, 'NETWORK');
}
export function isValidationError(error: unknown): error is ValidationError {
  return error instanceof ValidationError || hasCode(error, 'VALIDATION');
}
export function isCircuitOpenError(error: unknown): error is CircuitOpenError {
  return error instanceof CircuitOpenError || hasCode(error, 'CIRCUIT_OPEN');
}
export function isHttpStatusError(error: unknown): error is HttpStatusError {
  return error instanceof HttpStatusError || hasCode(error, 'HTTP_STATUS');
}

const DELTA_SECONDS = /^\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * Parses an HTTP `Retry-After` value, delta-seconds or HTTP-date, to milliseconds from `nowMs`.
 * Never negative (a date in the past means "now"); `undefined` when absent or unreadable, so a
 * garbage header falls back to the computed backoff instead of a zero wait.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const seconds = DELTA_SECONDS.exec(trimmed);
  if (seconds !== null) return Math.round(Number(seconds[1]) * 1000);
  // An HTTP-date always names a weekday or month; requiring a letter keeps Date.parse from
  // reading stray numbers such as "-5" or "12.3.4" as dates.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
