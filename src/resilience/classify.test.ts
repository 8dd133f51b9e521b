import { describe, expect, it } from 'vitest';
import { isRetryable, retryAfterMsOf, statusOf } from './classify.js';
import {
  CircuitOpenError,
  DatabaseConnectionError,
  HttpStatusError,
  MinerConnectionError,
  MinerTimeoutError,
  NetworkError,
  ResilienceError,
  ValidationError,
} from './errors.js';

const coded = (code: string, name = 'Error'): Error => Object.assign(new Error(code), { code, name });

describe('isRetryable', () => {
  it('retries the transient members of the family', () => {
    expect(isRetryable(new MinerConnectionError('x'))).toBe(true);
    expect(isRetryable(new MinerTimeoutError('x'))).toBe(true);
    expect(isRetryable(new DatabaseConnectionError('x'))).toBe(true);
    expect(isRetryable(new NetworkError('x'))).toBe(true);
  });

  it('never retries ValidationError or CircuitOpenError, whatever their cause', () => {
    expect(isRetryable(new ValidationError('x'))).toBe(false);
    expect(isRetryable(new ValidationError('x', { cause: coded('ECONNRESET') }))).toBe(false);
    expect(isRetryable(new CircuitOpenError('x', { breakerName: 'b', retryAfterMs: 1 }))).toBe(false);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE'])(
    'retries Node code %s',
    (code) => expect(isRetryable(coded(code))).toBe(true),
  );

  it.each([
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_CLOSED',
  ])('retries undici code %s', (code) => expect(isRetryable(coded(code))).toBe(true));

  it.each([
    'UND_ERR_INVALID_ARG',
    'UND_ERR_ABORTED',
    'UND_ERR_NOT_SUPPORTED',
    'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  ])('does not retry undici code %s', (code) => expect(isRetryable(coded(code))).toBe(false));

  it('retries SQLite BUSY and LOCKED with their extended codes, and nothing else from SQLite', () => {
    for (const code of [
      'SQLITE_BUSY',
      'SQLITE_BUSY_SNAPSHOT',
      'SQLITE_LOCKED',
      'SQLITE_LOCKED_SHAREDCACHE',
    ]) {
      expect(isRetryable(coded(code, 'SqliteError')), code).toBe(true);
    }
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', 'SQLITE_READONLY']) {
      expect(isRetryable(coded(code, 'SqliteError')), code).toBe(false);
    }
  });

  it('judges HTTP status: 408, 429 and 5xx yes; other 4xx no', () => {
    for (const status of [408, 429, 500, 502, 503, 504, 599]) {
      expect(isRetryable(new HttpStatusError('x', { status })), String(status)).toBe(true);
    }
    for (const status of [400, 401, 403, 404, 409, 410, 422, 499]) {
      expect(isRetryable(new HttpStatusError('x', { status })), String(status)).toBe(false);
    }
  });

  it('reads status from any error: status, statusCode, response.status', () => {
    expect(isRetryable(Object.assign(new Error('x'), { status: 503 }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('x'), { statusCode: 404 }))).toBe(false);
    expect(isRetryable(Object.assign(new Error('x'), { response: { status: 429 } }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('x'), { response: { status: 400 } }))).toBe(false);
    expect(statusOf({ statusCode: 502 })).toBe(502);
    expect(statusOf(new Error('x'))).toBeUndefined();
  });

  it('never retries programming errors', () => {
    for (const error of [
      new TypeError('x'),
      new RangeError('x'),
      new SyntaxError('x'),
      new ReferenceError('x'),
    ]) {
      expect(isRetryable(error), error.name).toBe(false);
    }
    expect(isRetryable(new EvalError('x'))).toBe(false);
    expect(isRetryable(new URIError('x'))).toBe(false);
  });

  it('judges a fetch failed TypeError by its cause', () => {
    expect(isRetryable(new TypeError('fetch failed', { cause: coded('ECONNREFUSED') }))).toBe(true);
    expect(isRetryable(new TypeError('fetch failed', { cause: coded('UND_ERR_SOCKET') }))).toBe(true);
    expect(isRetryable(new TypeError('fetch failed', { cause: new TypeError('invalid header') }))).toBe(
      false,
    );
    expect(isRetryable(new TypeError('fetch failed', { cause: coded('UND_ERR_INVALID_ARG') }))).toBe(false);
    expect(isRetryable(new TypeError('fetch failed'))).toBe(true);
  });

  it('never retries aborts', () => {
    expect(isRetryable(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isRetryable(coded('ABORT_ERR', 'AbortError'))).toBe(false);
    expect(isRetryable(coded('ABORT_ERR'))).toBe(false);
    const controller = new AbortController();
    controller.abort();
    expect(isRetryable(controller.signal.reason)).toBe(false);
  });

  it('retries timeouts by name, including AbortSignal.timeout reasons', async () => {
    expect(isRetryable(new DOMException('timed out', 'TimeoutError'))).toBe(true);
    expect(isRetryable(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toBe(true);
    const signal = AbortSignal.timeout(0);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    expect(isRetryable(signal.reason)).toBe(true);
  });

  it('retries unknown errors and thrown non-errors', () => {
    expect(isRetryable(new Error('plain'))).toBe(true);
    expect(isRetryable(coded('ESOMETHING'))).toBe(true);
    expect(isRetryable('a string')).toBe(true);
    expect(isRetryable(undefined)).toBe(true);
    expect(isRetryable({})).toBe(true);
  });

  it('judges an unknown wrapper by its cause, with bounded depth', () => {
    expect(isRetryable(new Error('wrap', { cause: new ValidationError('v') }))).toBe(false);
    expect(isRetryable(new ResilienceError('wrap', { cause: new TypeError('bug') }))).toBe(false);
    expect(isRetryable(new Error('wrap', { cause: new Error('w2', { cause: coded('ECONNRESET') }) }))).toBe(
      true,
    );
    // A cyclic cause chain must terminate.
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(isRetryable(a)).toBe(true);
  });

  it('retries an AggregateError when any error inside is retryable', () => {
    expect(isRetryable(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]))).toBe(true);
    expect(isRetryable(new AggregateError([new TypeError('a'), new RangeError('b')]))).toBe(false);
  });

  it('lets an own boolean `retryable` property decide first', () => {
    expect(isRetryable(Object.assign(new Error('malformed reply'), { retryable: false }))).toBe(false);
    expect(isRetryable(Object.assign(new TypeError('x'), { retryable: true }))).toBe(true);
    expect(isRetryable(Object.assign(new ValidationError('x'), { retryable: true }))).toBe(true);
    expect(isRetryable(Object.assign(coded('ECONNRESET'), { retryable: false }))).toBe(false);
    // Not boolean, or inherited: ignored.
    expect(isRetryable(Object.assign(new TypeError('x'), { retryable: 'yes' }))).toBe(false);
    class Marked extends Error {}
    Object.defineProperty(Marked.prototype, 'retryable', { value: false });
    expect(isRetryable(new Marked('x'))).toBe(true);
    class Field extends Error {
      readonly retryable = false;
    }
    expect(isRetryable(new Field('x'))).toBe(false);
  });
});

describe('retryAfterMsOf', () => {
  it('reads retryAfterMs on the error or along its cause chain', () => {
    expect(retryAfterMsOf(new HttpStatusError('x', { status: 429, retryAfterMs: 1500 }))).toBe(1500);
    const wrapped = new Error('w', { cause: new HttpStatusError('x', { status: 503, retryAfterMs: 0 }) });
    expect(retryAfterMsOf(wrapped)).toBe(0);
  });

  it('ignores absent, negative and non-finite values', () => {
    expect(retryAfterMsOf(new HttpStatusError('x', { status: 503 }))).toBeUndefined();
    expect(retryAfterMsOf({ retryAfterMs: -1 })).toBeUndefined();
    expect(retryAfterMsOf({ retryAfterMs: Number.NaN })).toBeUndefined();
    expect(retryAfterMsOf({ retryAfterMs: '100' })).toBeUndefined();
    expect(retryAfterMsOf('x')).toBeUndefined();
    expect(retryAfterMsOf(null)).toBeUndefined();
  });
});
