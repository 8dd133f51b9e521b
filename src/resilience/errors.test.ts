import { describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  DatabaseConnectionError,
  HttpStatusError,
  isCircuitOpenError,
  isDatabaseConnectionError,
  isHttpStatusError,
  isMinerConnectionError,
  isMinerTimeoutError,
  isNetworkError,
  isResilienceError,
  isValidationError,
  MinerConnectionError,
  MinerTimeoutError,
  NetworkError,
  parseRetryAfter,
  ResilienceError,
  ValidationError,
} from './errors.js';

const cause = new Error('root');

const cases = [
  {
    make: () => new ResilienceError('m', { cause }),
    name: 'ResilienceError',
    code: 'RESILIENCE',
    guard: isResilienceError,
  },
  {
    make: () => new MinerConnectionError('m', { cause, target: '10.0.0.5:80' }),
    name: 'MinerConnectionError',
    code: 'MINER_CONNECTION',
    guard: isMinerConnectionError,
  },
  {
    make: () => new MinerTimeoutError('m', { cause, target: 'a', timeoutMs: 5000 }),
    name: 'MinerTimeoutError',
    code: 'MINER_TIMEOUT',
    guard: isMinerTimeoutError,
  },
  {
    make: () => new DatabaseConnectionError('m', { cause }),
    name: 'DatabaseConnectionError',
    code: 'DATABASE_CONNECTION',
    guard: isDatabaseConnectionError,
  },
  {
    make: () => new NetworkError('m', { cause, target: 'x' }),
    name: 'NetworkError',
    code: 'NETWORK',
    guard: isNetworkError,
  },
  {
    make: () => new ValidationError('m', { cause, field: 'port' }),
    name: 'ValidationError',
    code: 'VALIDATION',
    guard: isValidationError,
  },
  {
    make: () => new CircuitOpenError('m', { cause, breakerName: 'b', retryAfterMs: 10 }),
    name: 'CircuitOpenError',
    code: 'CIRCUIT_OPEN',
    guard: isCircuitOpenError,
  },
  {
    make: () => new HttpStatusError('m', { cause, status: 503, retryAfterMs: 2000, url: 'http://x/' }),
    name: 'HttpStatusError',
    code: 'HTTP_STATUS',
    guard: isHttpStatusError,
  },
] as const;

describe('error family', () => {
  it.each(cases)(
    '$name has its name, code, cause, and is an Error and a ResilienceError',
    ({ make, name, code }) => {
      const error = make();
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(ResilienceError);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error.cause).toBe(cause);
      expect(error.message).toBe('m');
      expect(isResilienceError(error)).toBe(true);
      expect(String(error)).toBe(`${name}: m`);
    },
  );

  it('each guard accepts its own class and rejects every other one', () => {
    for (const own of cases) {
      for (const other of cases) {
        if (other.name === 'ResilienceError') continue;
        const expected = own.name === 'ResilienceError' || own.name === other.name;
        expect(own.guard(other.make()), `${own.name} on ${other.name}`).toBe(expected);
      }
      expect(own.guard(new Error('plain'))).toBe(false);
      expect(own.guard({ code: own.code, name: own.name })).toBe(false);
      expect(own.guard(undefined)).toBe(false);
    }
  });

  it('guards recognise an error from a second copy of the package by code and name', () => {
    const foreign = Object.assign(new Error('m'), { name: 'MinerConnectionError', code: 'MINER_CONNECTION' });
    expect(isMinerConnectionError(foreign)).toBe(true);
    expect(isResilienceError(foreign)).toBe(true);
    expect(isNetworkError(foreign)).toBe(false);
    const mismatched = Object.assign(new Error('m'), { code: 'MINER_CONNECTION' });
    expect(isMinerConnectionError(mismatched)).toBe(false);
  });

  it('keeps no own cause property when none is given', () => {
    const error = new MinerConnectionError('m');
    expect(Object.hasOwn(error, 'cause')).toBe(false);
    expect(error.target).toBeUndefined();
  });

  it('carries the extra fields it is given', () => {
    const timeout = new MinerTimeoutError('t', { target: 'miner-1', timeoutMs: 1500 });
    expect([timeout.target, timeout.timeoutMs]).toEqual(['miner-1', 1500]);
    const http = new HttpStatusError('h', { status: 429, retryAfterMs: 3000, url: 'http://m/api' });
    expect([http.status, http.retryAfterMs, http.url]).toEqual([429, 3000, 'http://m/api']);
    const open = new CircuitOpenError('o', { breakerName: 'miner_operations:a', retryAfterMs: 42 });
    expect([open.breakerName, open.retryAfterMs]).toEqual(['miner_operations:a', 42]);
    expect(new ValidationError('v', { field: 'host' }).field).toBe('host');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-29T06:00:00Z');

  it('reads delta-seconds as milliseconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', now)).toBe(7000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP-date as the time from now, never negative', () => {
    expect(parseRetryAfter('Sun, 29 Nov 2026 06:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 05:00:00 GMT', now)).toBe(0);
    // The obsolete RFC 850 and asctime forms that RFC 9110 says recipients must accept.
    expect(parseRetryAfter('Sunday, 29-Nov-26 06:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Sun Nov 29 06:00:10 2026', now)).toBeGreaterThanOrEqual(0);
  });

  it('is undefined when absent or unreadable', () => {
    for (const value of [undefined, null, '', '   ', 'soon', '-5', '1e3', '12.3.4', 'NaN', '0x10']) {
      expect(parseRetryAfter(value, now), String(value)).toBeUndefined();
    }
  });
});
