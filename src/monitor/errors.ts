/** Errors the monitor raises for callers (the API maps each code to one HTTP status). */
export type MonitorErrorCode =
  | 'MINER_NOT_FOUND'
  | 'MINER_EXISTS'
  | 'MINER_UNREACHABLE'
  | 'NOT_A_MINER'
  /** The device refused: a 401 while adding (it needs credentials, or refused the ones given). */
  | 'MINER_REFUSED'
  | 'RESTART_COOLDOWN'
  | 'RESTART_IN_PROGRESS'
  | 'BREAKER_OPEN'
  | 'INVALID_INPUT';

export interface MonitorErrorOptions {
  readonly cause?: unknown;
  readonly minerId?: string;
  /** For BREAKER_OPEN and RESTART_COOLDOWN: when trying again makes sense. */
  readonly retryAfterMs?: number;
}

export class MonitorError extends Error {
  override readonly name = 'MonitorError';
  readonly code: MonitorErrorCode;
  readonly minerId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: MonitorErrorCode, message: string, options: MonitorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.minerId = options.minerId;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isMonitorError(error: unknown): error is MonitorError {
  return error instanceof MonitorError;
}
