import { afterEach, describe, expect, it } from 'vitest';
import { isLoopbackHost, tokensEqual } from '../../src/server/auth.js';
import { AUTH, type Harness, harness, TOKEN } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

const MUTATIONS = [
  ['POST', '/api/miners', { host: '10.0.0.8' }],
  ['PATCH', '/api/miners/m1', { name: 'x' }],
  ['DELETE', '/api/miners/m1', undefined],
  ['POST', '/api/miners/m1/restart', undefined],
  ['POST', '/api/resilience/breakers/database/reset', undefined],
  ['POST', '/api/discover', { target: '10.0.0.1' }],
] as const;

const READS = [
  '/api/health',
  '/api/miners',
  '/api/miners/m1',
  '/api/miners/m1/metrics',
  '/api/miners/m1/events',
  '/api/fleet',
  '/api/fleet/series',
  '/api/alerts',
  '/api/resilience',
  '/metrics',
];

describe('auth on loopback', () => {
  it.each(MUTATIONS)('%s %s: 401 without the token, 403 with a wrong one', async (method, url, payload) => {
    h = await harness();
    const opts = payload === undefined ? { method, url } : { method, url, payload };
    const without = await h.app.inject(opts);
    expect(without.statusCode).toBe(401);
    expect(without.json().error.code).toBe('UNAUTHORIZED');
    expect(without.headers['www-authenticate']).toContain('Bearer');
    const wrong = await h.app.inject({ ...opts, headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('FORBIDDEN');
    const basic = await h.app.inject({ ...opts, headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.statusCode).toBe(401);
    // Nothing was done.
    expect(h.monitor.calls.filter((c) => c.method !== 'listEvents')).toEqual([]);
    expect(h.monitor.getMiner('m1')?.name).toBe('miner m1');
  });

  it('lets reads through without a token', async () => {
    h = await harness();
    for (const url of READS) expect((await h.app.inject({ url })).statusCode, url).toBe(200);
  });

  it('hands the token to a local browser at /api/session', async () => {
    h = await harness();
    const res = await h.app.inject({ url: '/api/session', headers: { host: 'localhost:8080' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ token: TOKEN, tokenRequiredFor: 'mutations' });
  });

  it.each([
    ['a remote address', { remoteAddress: '192.168.1.20' }, {}],
    ['a proxied request', {}, { 'x-forwarded-for': '192.168.1.20' }],
    ['a non-loopback Host (DNS rebinding)', {}, { host: 'evil.example:8080' }],
  ])('refuses the token to %s', async (_what, inject, headers) => {
    h = await harness();
    const res = await h.app.inject({ url: '/api/session', headers, ...inject });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(res.body).not.toContain(TOKEN);
  });
});

describe('auth beyond loopback', () => {
  it('needs the token for every API read and /metrics too', async () => {
    h = await harness({ listenHost: '0.0.0.0' });
    for (const url of READS) {
      const res = await h.app.inject({ url, remoteAddress: '192.168.1.20' });
      expect(res.statusCode, url).toBe(401);
      const wrong = await h.app.inject({ url, headers: { authorization: 'Bearer nope' } });
      expect(wrong.statusCode, url).toBe(403);
      const ok = await h.app.inject({ url, headers: AUTH });
      expect(ok.statusCode, url).toBe(200);
    }
    expect((await h.app.inject({ url: '/api/nothing' })).statusCode).toBe(401);
  });

  it('still serves the dashboard page, which holds no data', async () => {
    h = await harness({ listenHost: '0.0.0.0' });
    const res = await h.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('says which requests need the token at /api/session', async () => {
    h = await harness({ listenHost: '::' });
    const res = await h.app.inject({ url: '/api/session' });
    expect(res.json().tokenRequiredFor).toBe('everything');
  });

  it('accepts ?token= on the event stream only', async () => {
    h = await harness({ listenHost: '0.0.0.0' });
    const miners = await h.app.inject({ url: `/api/miners?token=${TOKEN}` });
    expect(miners.statusCode).toBe(401);
    const wrong = await h.app.inject({ url: '/api/events?token=wrong' });
    expect(wrong.statusCode).toBe(403);
  });
});

describe('auth helpers', () => {
  it('recognises loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.com', '128.0.0.1', '']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual('short', TOKEN)).toBe(false);
    expect(tokensEqual(`${TOKEN}x`, TOKEN)).toBe(false);
  });
});
