/**
 * Turns a failure talking to a device into the monitor's own words. Whether a request failed
 * before it was sent is the transport's question, answered once (`failedBeforeSending` in
 * miners/http/transportError.ts).
 */
import { codesOf } from '../miners/index.js';
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

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
