/**
 * A device that answers 401: it wants a login (HTTP Basic on AxeOS builds that ask), and asking
 * again with the same one gets the same answer. Named for the user by what the miner's record
 * holds, and counted by the miner's breaker so a refusing device is left alone for a while.
 */
import { isHttpStatusError } from '../resilience/index.js';
import type { MinerRecord } from '../storage/Storage.js';

export function isLoginRefusal(error: unknown): boolean {
  return isHttpStatusError(error) && error.status === 401;
}

/** Why the device refused, by what the record holds (never the login itself). */
export function loginRefusalMessage(record: Pick<MinerRecord, 'name' | 'credentials'>): string {
  const { name, credentials } = record;
  if (credentials === null) return `${name} needs credentials (HTTP 401)`;
  if ('sealed' in credentials) {
    return `${name}: credentials cannot be read with this instance's key (HTTP 401); set SOLOWATCH_SECRET_KEY as on the instance that saved them`;
  }
  return `${name} refused its credentials (HTTP 401)`;
}

/** What a poll that met a 401 fails with. */
export class LoginRefusedError extends Error {
  override readonly name = 'LoginRefusedError';
  readonly code = 'MINER_LOGIN_REFUSED';
  readonly status = 401;
  /**
   * Counted by the miner's circuit breaker (which counts what is marked worth another try): after
   * the breaker's threshold of refused polls the device is not asked again until its reset time,
   * instead of every interval. Nothing retries it within a poll: the HTTP client already gave up
   * on the 401 (a 4xx), and the poll runs once through the breaker.
   */
  readonly retryable = true;

  constructor(record: Pick<MinerRecord, 'name' | 'credentials'>, cause: unknown) {
    super(loginRefusalMessage(record), { cause });
  }
}

/** The error a poll reports: a 401 becomes LoginRefusedError, anything else passes. */
export function pollError(record: Pick<MinerRecord, 'name' | 'credentials'>, error: unknown): unknown {
  return isLoginRefusal(error) ? new LoginRefusedError(record, error) : error;
}
