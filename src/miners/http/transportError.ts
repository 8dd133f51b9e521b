/**
 * Turns what a socket or undici throws into the resilience family, keeping the original in
 * `cause` (the monitor reads its `code` to tell "never sent" from "sent, then dropped").
 */
import { MinerConnectionError, MinerTimeoutError } from '../../resilience/index.js';
import { MinerResponseError } from '../errors.js';

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** Codes that say the connection never opened: nothing of the request reached the device. */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Every `code` along the cause chain and inside AggregateErrors (happy-eyeballs connects). */
export function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  const visit = (current: unknown, depth: number): void => {
    if (depth > 6 || typeof current !== 'object' || current === null) return;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    if (current instanceof AggregateError) for (const inner of current.errors) visit(inner, depth + 1);
    visit((current as { cause?: unknown }).cause, depth + 1);
  };
  visit(error, 0);
  return codes;
}

/** True when the request cannot have reached the device (refused, unreachable, connect timeout). */
export function failedBeforeSending(error: unknown): boolean {
  return codesOf(error).some((code) => NEVER_SENT_CODES.has(code));
}

export interface TransportContext {
  /** `GET http://host/path` or `cgminer host:port summary`. */
  readonly what: string;
  /** `http://host:port` or `host:port`. */
  readonly target: string;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
}

/**
 * Maps a transport failure. Errors that are already ours (or the family's) pass unchanged; an
 * HTTP parser error means something answered that does not speak HTTP, which no retry fixes.
 */
export function mapTransportError(error: unknown, context: TransportContext): unknown {
  if (error instanceof MinerConnectionError || error instanceof MinerTimeoutError) return error;
  if (typeof error === 'object' && error !== null && Object.hasOwn(error, 'retryable')) return error;
  const codes = codesOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (codes.includes('UND_ERR_CONNECT_TIMEOUT')) {
    return new MinerTimeoutError(`${context.what}: no connection within ${context.connectTimeoutMs} ms`, {
      cause: error,
      target: context.target,
      timeoutMs: context.connectTimeoutMs,
    });
  }
  if (codes.some((code) => TIMEOUT_CODES.has(code))) {
    return new MinerTimeoutError(`${context.what}: no answer within ${context.timeoutMs} ms (${detail})`, {
      cause: error,
      target: context.target,
      timeoutMs: context.timeoutMs,
    });
  }
  if (
    codes.some((code) => code.startsWith('HPE_')) ||
    (error instanceof Error && error.name === 'HTTPParserError')
  ) {
    return new MinerResponseError(`${context.what}: the answer is not HTTP (${detail})`, {
      cause: error,
      target: context.what,
      status: 'not_http',
    });
  }
  return new MinerConnectionError(`${context.what}: ${detail}`, { cause: error, target: context.target });
}
