/**
 * fast-check arbitraries for requests a confused script or an attacker could send to the API:
 * every route with ids, queries and bodies that are wrong in type, range, encoding and size, with
 * and without the token.
 */
import fc from 'fast-check';
import { hostileValue } from './hostileJson.js';

export interface HostileRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT' | 'OPTIONS' | 'HEAD';
  readonly url: string;
  readonly auth: 'valid' | 'none' | 'wrong' | 'malformed';
  readonly contentType: string | null;
  readonly payload: string | null;
}

/** Route shapes; `:id` and `:name` are filled from `segment`. */
export const ROUTES = [
  ['GET', '/api/health'],
  ['GET', '/api/miners'],
  ['POST', '/api/miners'],
  ['GET', '/api/miners/:id'],
  ['PATCH', '/api/miners/:id'],
  ['DELETE', '/api/miners/:id'],
  ['POST', '/api/miners/:id/restart'],
  ['GET', '/api/miners/:id/metrics'],
  ['GET', '/api/miners/:id/events'],
  ['GET', '/api/fleet'],
  ['GET', '/api/fleet/series'],
  ['GET', '/api/alerts'],
  ['GET', '/api/resilience'],
  ['POST', '/api/resilience/breakers/:name/reset'],
  ['POST', '/api/discover'],
  ['GET', '/api/session'],
  ['GET', '/metrics'],
  ['GET', '/'],
  ['GET', '/:id'],
  ['POST', '/api/:id'],
] as const;

const SEGMENTS = [
  'm1',
  'm2',
  'nope',
  '',
  '..',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%00',
  '%',
  '%zz',
  '%F0%9F%92%A9',
  '<script>alert(1)</script>',
  'database',
  'miner_operations:m1',
  'a'.repeat(201),
  'a'.repeat(5000),
  '__proto__',
  'constructor',
  '0',
  '-1',
  '1e400',
] as const;

export function segment(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SEGMENTS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }).map(encodeURIComponent) },
  );
}

const QUERY_KEYS = [
  'from',
  'to',
  'points',
  'limit',
  'openOnly',
  'dropHistory',
  'token',
  'extra',
  '__proto__',
] as const;
const QUERY_VALUES = [
  '0',
  '1',
  '-1',
  '2',
  '1999',
  '2000',
  '2001',
  '1e400',
  'NaN',
  'Infinity',
  '',
  'true',
  'false',
  'yes',
  '1.5',
  '9007199254740993',
  '99999999999999999999999',
  '%00',
  '[]',
  '{}',
] as const;

export function query(): fc.Arbitrary<string> {
  const pair = fc
    .tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...QUERY_KEYS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
      ),
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...QUERY_VALUES) },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
      ),
    )
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${QUERY_VALUES.includes(v as (typeof QUERY_VALUES)[number]) ? v : encodeURIComponent(v)}`,
    );
  return fc.array(pair, { maxLength: 5 }).map((pairs) => (pairs.length === 0 ? '' : `?${pairs.join('&')}`));
}

const ADD_BODY = { host: '10.0.0.9', port: 80, kind: 'axeos', name: 'new', verify: false };
const PATCH_BODY = { name: 'renamed', intervalMs: 10_000, enabled: true };

function mutatedBody(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = [...Object.keys(base), 'target', 'extra', 'constructor', '__proto__'];
  return fc
    .array(
      fc.oneof(
        fc.record({ drop: fc.constantFrom(...keys) }),
        fc.record({ set: fc.constantFrom(...keys), value: hostileValue() }),
      ),
      { maxLength: 4 },
    )
    .map((ops) => {
      const out: Record<string, unknown> = { ...base };
      for (const op of ops) {
        if ('drop' in op) delete out[op.drop];
        else
          Object.defineProperty(out, op.set, {
            value: op.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
      }
      return out;
    });
}

export function payload(): fc.Arbitrary<string | null> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 4, arbitrary: mutatedBody(ADD_BODY).map((v) => JSON.stringify(v)) },
    { weight: 3, arbitrary: mutatedBody(PATCH_BODY).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: mutatedBody({ target: '10.0.0.0/30' }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '{"host":',
        'null',
        '[]',
        '"x"',
        '{"host":"10.0.0.9"}}',
        '{"host":"\uD800"}',
        '\uFEFF{"host":"10.0.0.9"}',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        `{"host":"${'a'.repeat(70_000)}"}`,
        '{"__proto__":{"admin":true},"host":"10.0.0.9"}',
        '{"constructor":{"prototype":{"x":1}}}',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  );
}

export function hostileRequest(): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      route: fc.constantFrom(...ROUTES),
      method: fc.option(
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD') as fc.Arbitrary<
          HostileRequest['method']
        >,
        {
          freq: 6,
        },
      ),
      id: segment(),
      query: query(),
      auth: fc.constantFrom('valid', 'valid', 'none', 'wrong', 'malformed') as fc.Arbitrary<
        HostileRequest['auth']
      >,
      contentType: fc.constantFrom(
        'application/json',
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'garbage',
      ),
      withType: fc.boolean(),
      payload: payload(),
    })
    .map(({ route, method, id, query: q, auth, contentType, withType, payload: body }) => ({
      method: method ?? route[0],
      url: route[1].replace(':id', id).replace(':name', id) + q,
      auth,
      contentType: body === null && !withType ? null : contentType,
      payload: body,
    }));
}
