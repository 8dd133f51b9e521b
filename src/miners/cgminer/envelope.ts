/**
 * The STATUS envelope of every cgminer reply: S (success) and I (info) are fine, W (warning) is
 * kept as a warning, E (error) and F (fatal) become errors; code 45 is "Access denied".
 */
import { MinerAccessDeniedError, MinerResponseError } from '../errors.js';
import { isRecord } from '../parse/FieldReader.js';

export interface CgminerStatus {
  /** S, I, W, E, F, or a whole-word status such as RESTART or BYE. */
  readonly status: string;
  readonly code: number | null;
  readonly message: string;
  readonly description: string | null;
  readonly when: number | null;
}

export const ACCESS_DENIED_CODE = 45;

/** Reads the envelope; a reply without one is not cgminer's. */
export function readStatus(reply: unknown, what: string): CgminerStatus {
  if (!isRecord(reply))
    throw new MinerResponseError(`${what}: the answer is not a JSON object`, {
      target: what,
      status: 'shape',
    });
  const raw = reply.STATUS;
  if (typeof raw === 'string') {
    // quit and restart answer {"STATUS":"BYE"} / {"STATUS":"RESTART"} (API 3.5+); btminer
    // (Whatsminer) puts its whole envelope at the top: {"STATUS":"E","Code":14,"Msg":"invalid cmd"}.
    return {
      status: raw,
      code: typeof reply.Code === 'number' ? reply.Code : null,
      message: typeof reply.Msg === 'string' ? reply.Msg : raw,
      description: typeof reply.Description === 'string' ? reply.Description : null,
      when: typeof reply.When === 'number' ? reply.When : null,
    };
  }
  const item = Array.isArray(raw) ? raw[0] : raw;
  if (!isRecord(item) || typeof item.STATUS !== 'string') {
    throw new MinerResponseError(`${what}: the answer has no STATUS section`, {
      target: what,
      status: 'shape',
    });
  }
  return {
    status: item.STATUS,
    code: typeof item.Code === 'number' ? item.Code : null,
    message: typeof item.Msg === 'string' ? item.Msg : '',
    description: typeof item.Description === 'string' ? item.Description : null,
    when: typeof item.When === 'number' ? item.When : null,
  };
}

/** Throws for E and F; returns a warning text for W, else null. */
export function checkStatus(status: CgminerStatus, what: string): string | null {
  if (status.status === 'E' || status.status === 'F') {
    const text = `${what}: the miner answered ${status.status === 'E' ? 'error' : 'fatal'} ${status.code ?? '?'} "${status.message}"`;
    if (status.status === 'E' && status.code === ACCESS_DENIED_CODE) {
      return denied(`${text}; give this host privileged access (--api-allow W:<address>)`, what);
    }
    throw new MinerResponseError(text, {
      target: what,
      status: status.status,
      ...(status.code === null ? {} : { statusCode: status.code }),
    });
  }
  if (status.status === 'W') return `${what}: warning ${status.code ?? '?'} "${status.message}"`;
  return null;
}

function denied(message: string, what: string): never {
  throw new MinerAccessDeniedError(message, { target: what });
}
