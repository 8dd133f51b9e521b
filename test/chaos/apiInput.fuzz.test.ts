/**
 * 10,000 hostile requests against the real buildApp over the real MinerManager (fake devices and
 * in-memory storage, so nothing leaves the process): every route, id, query and body, with and
 * without the token. No 5xx, no crash; every refusal a 4xx with `{ error: { code, message } }`
 * whose code is in the registry with that status; no mutation without the token.
 */

import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSample } from '../../src/monitor/testing/FakeDriver.js';
import { createHarness, type Harness } from '../../src/monitor/testing/harness.js';
import { buildApp } from '../../src/server/buildApp.js';
import { ERROR_CODES } from '../../src/server/errors.js';
import { type HostileRequest, hostileRequest } from './support/hostileRequests.js';
import { fuzzRuns } from './support/outcome.js';
import { trackUnhandled } from './support/unhandled.js';

const TOKEN = 'chaos-token-0123456789abcdef';
const RUNS = fuzzRuns(2_000);
const MUTATING = new Set(['POST', 'PATCH', 'DELETE', 'PUT']);

interface World {
  readonly h: Harness;
  readonly app: FastifyInstance;
}

async function world(): Promise<World> {
  const h = createHarness();
  h.driver.on('10.0.0.9', () => makeSample({ mac: 'AA:BB:CC:DD:EE:09' }));
  h.driver.on('10.0.0.5', () => makeSample({ mac: 'AA:BB:CC:DD:EE:05' }));
  await h.manager.addMiner({ host: '10.0.0.5', kind: 'axeos', verify: false, name: 'one' });
  await h.manager.addMiner({ host: '10.0.0.6', kind: 'axeos', verify: false, name: 'two' });
  h.retryManager.getCircuitBreaker('database');
  h.retryManager.getCircuitBreaker('miner_operations:m1');
  const app = await buildApp({
    monitor: h.manager,
    breakers: h.retryManager,
    token: TOKEN,
    listenHost: '127.0.0.1',
    version: '0.0.0-chaos',
    webRoot: null,
    clock: h.clock,
  });
  return { h, app };
}

function headersOf(request: HostileRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  if (request.auth === 'valid') headers.authorization = `Bearer ${TOKEN}`;
  if (request.auth === 'wrong') headers.authorization = `Bearer ${TOKEN.slice(0, -1)}X`;
  if (request.auth === 'malformed') headers.authorization = `Basic ${TOKEN}`;
  if (request.contentType !== null) headers['content-type'] = request.contentType;
  return headers;
}

/** What is wrong with the answer to `request`, or null. */
function judgeAnswer(request: HostileRequest, status: number, body: string): string | null {
  if (status >= 500) {
    const code = safeCode(body);
    // The contract's one legitimate 5xx here: restarting a miner whose breaker is open.
    if (!(status === 503 && code === 'BREAKER_OPEN')) return `answered ${status}: ${body.slice(0, 300)}`;
  }
  const path = request.url.split('?')[0] ?? '';
  const guarded =
    MUTATING.has(request.method) &&
    (path.startsWith('/api/') || path === '/metrics') &&
    path !== '/api/session';
  if (guarded && request.auth !== 'valid' && status < 400)
    return `a ${request.method} without a valid token answered ${status}`;
  if (status >= 400 && request.method !== 'HEAD') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return `a ${status} whose body is not JSON: ${body.slice(0, 200)}`;
    }
    const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string')
      return `a ${status} without {error:{code,message}}`;
    const known = ERROR_CODES[error.code as keyof typeof ERROR_CODES];
    if (known === undefined) return `unregistered error code ${error.code}`;
    if (known.status !== status)
      return `${error.code} answered with ${status}, registered as ${known.status}`;
    if (error.message.trim().length < 5)
      return `vague message for ${error.code}: ${JSON.stringify(error.message)}`;
    if (/\n\s+at /.test(error.message)) return `a stack trace in ${error.code}`;
  }
  return null;
}

function isEventStream(request: HostileRequest): boolean {
  let path: string;
  try {
    path = new URL(request.url, 'http://127.0.0.1').pathname;
  } catch {
    return false;
  }
  return path === '/api/events' && (request.method === 'GET' || request.method === 'HEAD');
}

/** A request that never answers is a failure of its own, not a stuck test. */
function answerWithin<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function safeCode(body: string): string | null {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

let w: World;
const unhandled = trackUnhandled();

beforeEach(async () => {
  w = await world();
});

afterEach(async () => {
  await w.app.close();
});

afterAll(() => unhandled.stop());

describe('hostile API input', () => {
  it(
    `${RUNS} requests: no 5xx, every refusal a registered 4xx, no mutation without the token`,
    async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(hostileRequest(), async (request) => {
          // An event stream never ends by design; `/api/miners/../events` reaches it too.
          if (isEventStream(request)) return;
          const before = w.h.manager.listMiners().length;
          const response = await answerWithin(
            10_000,
            w.app.inject({
              method: request.method,
              url: request.url,
              headers: headersOf(request),
              ...(request.payload === null ? {} : { payload: request.payload }),
            }),
          );
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          const problem = judgeAnswer(request, response.statusCode, response.body);
          if (problem !== null) throw new Error(`${request.method} ${request.url.slice(0, 120)}: ${problem}`);
          if (request.auth !== 'valid' && w.h.manager.listMiners().length !== before) {
            throw new Error(`${request.method} ${request.url}: the miner list changed without the token`);
          }
          // A deleted seed miner would starve later cases of a valid id: start over.
          if (w.h.manager.getMiner('m1') === null || w.h.manager.getMiner('m2') === null) {
            await w.app.close();
            w = await world();
          }
        }),
        { numRuns: RUNS, seed: 20261129, endOnFailure: true },
      );
      // The mix must reach handlers, not only the validators.
      const ok = [...statuses].filter(([s]) => s < 300).reduce((a, [, n]) => a + n, 0);
      expect(ok).toBeGreaterThan(RUNS / 10);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 20);
      expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(403) ?? 0).toBeGreaterThan(0);
      expect(unhandled.count()).toBe(0);
    },
    60_000 + RUNS * 60,
  );
});
