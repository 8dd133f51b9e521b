/** Turns a failure talking to a device into the monitor's own words. */
import {
  isCircuitOpenError,
  isMinerConnectionError,
  isMinerTimeoutError,
  isNetworkError,
} from '../resilience/index.js';

const TRANSPORT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** Codes that say the connection never opened, so nothing of a request was sent. */
const NOT_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** Nothing answered (refused, unreachable, timed out, breaker open). */
export function isUnreachable(error: unknown): boolean {
  if (
    isMinerConnectionError(error) ||
    isMinerTimeoutError(error) ||
    isNetworkError(error) ||
    isCircuitOpenError(error)
  ) {
    return true;
  }
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return true;
  return codesOf(error).some((code) => TRANSPORT_CODES.has(code) || code.startsWith('UND_ERR_CONNECT'));
}

/** The connection failed before a byte of the request went out: resending is safe. */
export function failedBeforeSending(error: unknown): boolean {
  return codesOf(error).some((code) => NOT_CONNECTED_CODES.has(code));
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
