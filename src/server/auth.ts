/**
 * The token rule. On loopback, reads are open and every mutation needs the token; listening
 * beyond loopback, every API and /metrics request needs it. The dashboard's static files never
 * do: they hold no data, and a browser cannot send a header when it navigates.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True for names and addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time in the token's length and content: both sides are hashed to equal length first. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The bearer token from the header; `null` when there is none or it is not a Bearer header. */
export function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * True when the request comes from this machine, directly. A request relayed by a proxy (which
 * may itself run on loopback) carries forwarding headers and is treated as remote; a Host header
 * that is not a loopback name is refused too, which defeats DNS rebinding.
 */
export function isLocalRequest(request: FastifyRequest): boolean {
  const remote = request.socket.remoteAddress ?? '';
  if (!isLoopbackHost(remote)) return false;
  const headers = request.headers;
  if (headers.forwarded !== undefined || headers['x-forwarded-for'] !== undefined) return false;
  if (headers['x-real-ip'] !== undefined) return false;
  const host = (headers.host ?? '').replace(/:\d+$/, '');
  return host === '' || isLoopbackHost(host);
}

export interface AuthPolicy {
  readonly token: string;
  /** True when the server listens beyond loopback. */
  readonly exposed: boolean;
}

export function needsToken(policy: AuthPolicy, request: FastifyRequest, path: string): boolean {
  if (path === '/api/session') return false;
  const isApi = path === '/metrics' || path === '/api' || path.startsWith('/api/');
  if (!isApi) return false;
  return policy.exposed || MUTATING.has(request.method);
}

/**
 * Throws 401/403 unless the request carries the token. EventSource cannot send headers, so
 * GET /api/events also accepts `?token=`.
 */
export function checkToken(policy: AuthPolicy, request: FastifyRequest, path: string): void {
  let given = bearerOf(request);
  if (given === null && path === '/api/events' && request.method === 'GET') {
    const query = request.query as Readonly<Record<string, unknown>> | undefined;
    const fromQuery = query?.token;
    if (typeof fromQuery === 'string') given = fromQuery;
  }
  if (given === null) {
    throw new ApiError(
      'UNAUTHORIZED',
      'this request needs the API token: send `Authorization: Bearer <token>`',
    );
  }
  if (!tokensEqual(given, policy.token)) {
    throw new ApiError('FORBIDDEN', 'the API token is wrong');
  }
}
