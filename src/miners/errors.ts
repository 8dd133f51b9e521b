/**
 * Errors of the miners area that the resilience family does not cover: answers that arrived but
 * cannot be used. Each is `retryable: false` as an own property, which the resilience classifier
 * reads first, so retries and breakers leave them alone (asking again gets the same answer).
 */

/** Stable codes of the miners area. */
export type MinerErrorCode = 'MINER_RESPONSE' | 'RESPONSE_TOO_LARGE' | 'NOT_A_MINER' | 'MINER_ACCESS_DENIED';

export interface MinerErrorOptions {
  readonly cause?: unknown;
  /** What was asked: a URL, or `cgminer <host>:<port> <command>`. */
  readonly target?: string;
}

function errorOptions(options: MinerErrorOptions | undefined): ErrorOptions | undefined {
  return options?.cause === undefined ? undefined : { cause: options.cause };
}

/** Base of the area's own errors. */
export class MinerError extends Error {
  override readonly name: string = 'MinerError';
  readonly code: MinerErrorCode = 'MINER_RESPONSE';
  readonly retryable: boolean = false;
  readonly target: string | undefined;

  constructor(message: string, options?: MinerErrorOptions) {
    super(message, errorOptions(options));
    this.target = options?.target;
  }
}

export interface MinerResponseErrorOptions extends MinerErrorOptions {
  /** cgminer STATUS code, when the device said E or F. */
  readonly statusCode?: number;
  /** cgminer STATUS letter (E, F) or a short tag of what was wrong. */
  readonly status?: string;
}

/** The device answered with something unusable: bad JSON, the wrong shape, a cgminer E/F status. */
export class MinerResponseError extends MinerError {
  override readonly name: string = 'MinerResponseError';
  override readonly code: MinerErrorCode = 'MINER_RESPONSE';
  readonly statusCode: number | undefined;
  readonly status: string | undefined;

  constructor(message: string, options?: MinerResponseErrorOptions) {
    super(message, options);
    this.statusCode = options?.statusCode;
    this.status = options?.status;
  }
}

export interface ResponseTooLargeErrorOptions extends MinerErrorOptions {
  readonly limitBytes: number;
}

/** The answer grew past the size cap; reading was stopped there. */
export class ResponseTooLargeError extends MinerError {
  override readonly name: string = 'ResponseTooLargeError';
  override readonly code: MinerErrorCode = 'RESPONSE_TOO_LARGE';
  readonly limitBytes: number;

  constructor(message: string, options: ResponseTooLargeErrorOptions) {
    super(message, options);
    this.limitBytes = options.limitBytes;
  }
}

/** Something answered, but it is not a miner (a router's page, a Hue bridge, another API). */
export class NotAMinerError extends MinerError {
  override readonly name: string = 'NotAMinerError';
  override readonly code: MinerErrorCode = 'NOT_A_MINER';
}

/** cgminer refused a privileged command (STATUS E, code 45): only its `--api-allow W:` helps. */
export class MinerAccessDeniedError extends MinerError {
  override readonly name: string = 'MinerAccessDeniedError';
  override readonly code: MinerErrorCode = 'MINER_ACCESS_DENIED';
}

function hasCode(error: unknown, code: MinerErrorCode): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === code;
}

export function isMinerError(error: unknown): error is MinerError {
  return (
    error instanceof MinerError ||
    hasCode(error, 'MINER_RESPONSE') ||
    hasCode(error, 'RESPONSE_TOO_LARGE') ||
    hasCode(error, 'NOT_A_MINER') ||
    hasCode(error, 'MINER_ACCESS_DENIED')
  );
}
export function isMinerResponseError(error: unknown): error is MinerResponseError {
  return error instanceof MinerResponseError || hasCode(error, 'MINER_RESPONSE');
}
export function isResponseTooLargeError(error: unknown): error is ResponseTooLargeError {
  return error instanceof ResponseTooLargeError || hasCode(error, 'RESPONSE_TOO_LARGE');
}
export function isNotAMinerError(error: unknown): error is NotAMinerError {
  return error instanceof NotAMinerError || hasCode(error, 'NOT_A_MINER');
}
export function isMinerAccessDeniedError(error: unknown): error is MinerAccessDeniedError {
  return error instanceof MinerAccessDeniedError || hasCode(error, 'MINER_ACCESS_DENIED');
}
