/**
 * The one registry of API error codes. Every failure the API answers is `{ error: { code, message } }`
 * with one of these codes and its status; docs/API.md documents each (a test keeps them in step).
 */
import {
  type ControlError,
  isControlBreakerOpenError,
  isControlError,
} from '../monitor/control/MinerControl.js';
import { isMonitorError, type MonitorError } from '../monitor/errors.js';

export interface ErrorCodeInfo {
  readonly status: number;
  readonly description: string;
}

export const ERROR_CODES = Object.freeze({
  INVALID_INPUT: {
    status: 400,
    description:
      'A parameter, query field or body field is missing, unknown or out of range; the message names it.',
  },
  INVALID_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  UNAUTHORIZED: {
    status: 401,
    description: 'No `Authorization: Bearer <token>` header where the token is required.',
  },
  FORBIDDEN: {
    status: 403,
    description: 'The token is wrong, or the request is not allowed from where it came from.',
  },
  NOT_FOUND: { status: 404, description: 'No such route.' },
  MINER_NOT_FOUND: { status: 404, description: 'No miner with that id.' },
  BREAKER_NOT_FOUND: { status: 404, description: 'No circuit breaker with that name.' },
  ACTION_NOT_FOUND: {
    status: 404,
    description: 'No fleet action with that id (the server keeps the newest 100 finished ones).',
  },
  PROFILE_NOT_FOUND: { status: 404, description: 'No saved profile with that name.' },
  PROFILE_EXISTS: { status: 409, description: 'A profile with that name already exists; PUT replaces it.' },
  SCHEDULE_NOT_FOUND: { status: 404, description: 'No schedule with that name.' },
  SCHEDULE_EXISTS: {
    status: 409,
    description: 'A schedule with that name already exists (in the config file or made over the API).',
  },
  SCHEDULE_READ_ONLY: {
    status: 409,
    description: 'The schedule comes from the config file; edit the config file to change it.',
  },
  MINER_EXISTS: { status: 409, description: 'That miner (same address or MAC) is already watched.' },
  RESTART_IN_PROGRESS: { status: 409, description: 'A restart of that miner is already under way.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body is larger than the server accepts.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The body is not `application/json`.' },
  MINER_UNREACHABLE: {
    status: 422,
    description:
      'The miner did not answer: while adding with `verify` (after retries), or to a control command (settings, pause, identify).',
  },
  MINER_REFUSED: {
    status: 422,
    description:
      'The miner answered a control command with a refusal (wrong credentials, privileged access not allowed, a value it rejected); the message says which.',
  },
  UNSUPPORTED: {
    status: 422,
    description:
      'The miner (its model or firmware) lacks the capability asked for; the message names it (e.g. `pause`, `fan.manual`). Nothing was sent.',
  },
  NOT_A_MINER: { status: 422, description: 'The address answered, but not as any supported miner.' },
  RESTART_COOLDOWN: {
    status: 429,
    description: 'The miner was restarted moments ago; `Retry-After` says when another is allowed.',
  },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected failure; the server log has details.' },
  BREAKER_OPEN: {
    status: 503,
    description: "The miner's circuit breaker is open; `Retry-After` says when it tries again.",
  },
  TOO_MANY_STREAMS: { status: 503, description: 'Too many open event streams; close one and retry.' },
  TIMEOUT: { status: 503, description: 'The operation did not finish within the server time limit.' },
} satisfies Record<string, ErrorCodeInfo>);

export type ApiErrorCode = keyof typeof ERROR_CODES;

export interface ApiErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string; readonly retryAfterMs?: number };
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  /** Sent as `Retry-After` (rounded up to seconds) when set. */
  readonly retryAfterMs: number | undefined;

  constructor(code: ApiErrorCode, message: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = ERROR_CODES[code].status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function errorBody(code: ApiErrorCode, message: string, retryAfterMs?: number): ApiErrorBody {
  return { error: retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs } };
}

function fromControlError(error: ControlError): ApiError {
  const retryAfterMs = isControlBreakerOpenError(error) ? error.retryAfterMs : undefined;
  return new ApiError(error.code, error.message, {
    cause: error,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function fromMonitorError(error: MonitorError): ApiError {
  const options = {
    cause: error,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  };
  return new ApiError(error.code, error.message, options);
}

interface FastifyLikeError {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message: string;
}

/** Fastify's own error codes for body parsing, mapped onto ours. */
const FASTIFY_CODES: Readonly<Record<string, ApiErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_INPUT',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_VALIDATION: 'INVALID_INPUT',
};

/** Turns whatever a handler or fastify threw into one registered code. */
export function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;
  if (isMonitorError(error)) return fromMonitorError(error);
  if (isControlError(error)) return fromControlError(error);
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const e = error as FastifyLikeError;
    const mapped = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
    if (mapped !== undefined) return new ApiError(mapped, e.message, { cause: error });
    if (error instanceof SyntaxError && e.statusCode === 400) {
      return new ApiError('INVALID_JSON', `body is not valid JSON: ${e.message}`, { cause: error });
    }
    if (typeof e.statusCode === 'number' && e.statusCode === 413) {
      return new ApiError('PAYLOAD_TOO_LARGE', e.message, { cause: error });
    }
    if (typeof e.statusCode === 'number' && e.statusCode === 415) {
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', e.message, { cause: error });
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return new ApiError('INVALID_INPUT', e.message, { cause: error });
    }
  }
  return new ApiError('INTERNAL_ERROR', 'internal error', { cause: error });
}
