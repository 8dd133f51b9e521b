import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MonitorError } from '../../src/monitor/errors.js';
import { NOW } from './fakes.js';
import { AUTH, type Harness, harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.app.close();
});

describe('GET /api/miners', () => {
  it('lists every miner with status, the sample fields the table reads, and breaker; raw replies stay on the miner', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/miners' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.miners).toHaveLength(1);
    expect(body.miners[0]).toMatchObject({
      id: 'm1',
      status: 'online',
      breaker: { name: 'miner_operations:m1', state: 'closed' },
      lastSample: { hashrateGhs: 1200, maxChipTemperatureC: 58, powerW: 18, firmware: 'v2.12.0' },
    });
    expect(body.miners[0].lastSample.raw).toBeUndefined();
    expect(body.miners[0].lastSample.poolUser).toBeUndefined();
    const one = (await h.app.inject({ url: '/api/miners/m1' })).json();
    expect(one.lastSample).toMatchObject({
      poolUser: 'bc1qexample.worker',
      raw: { someVendorField: 'kept' },
    });
  });
});

describe('POST /api/miners', () => {
  it('adds a miner: 201 with the view and a Location header', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/miners',
      headers: AUTH,
      payload: { host: '10.0.0.7', port: 8080, kind: 'auto', name: 'garage', verify: false },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ host: '10.0.0.7', port: 8080, name: 'garage' });
    expect(res.headers.location).toBe(`/api/miners/${res.json().id}`);
    const call = h.monitor.calls.find((c) => c.method === 'addMiner');
    expect(call?.args[0]).toEqual({
      host: '10.0.0.7',
      port: 8080,
      kind: 'auto',
      name: 'garage',
      verify: false,
    });
    expect((call!.args[1] as { signal: AbortSignal }).signal).toBeInstanceOf(AbortSignal);
  });

  it.each([
    [{}, 'body.host is missing: expected an IPv4 address or host name'],
    [{ host: '10.0.0.7', port: 70000 }, 'body.port must be a port number from 1 to 65535, got 70000'],
    [
      { host: '10.0.0.7', colour: 'red' },
      'body.colour is not a known key (known: host, port, kind, name, tags, credentials, verify)',
    ],
    [
      { host: '10.0.0.7', kind: 'antminer-x' },
      'body.kind must be one of axeos, nerdqaxe, cgminer, whatsminer, auto, got "antminer-x"',
    ],
    [{ host: 'bad host/<x>' }, 'body.host must be an IPv4 address or host name without a scheme'],
  ])('400 INVALID_INPUT naming the field for %j', async (payload, message) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/miners', headers: AUTH, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_INPUT');
    expect(res.json().error.message).toContain(message);
  });

  it.each([
    ['MINER_EXISTS', 409],
    ['MINER_UNREACHABLE', 422],
    ['NOT_A_MINER', 422],
    ['INVALID_INPUT', 400],
  ] as const)('maps the monitor error %s to %i', async (code, status) => {
    h.monitor.failNext.set('addMiner', new MonitorError(code, `because ${code}`));
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/miners',
      headers: AUTH,
      payload: { host: 'x1' },
    });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: `because ${code}` } });
  });

  it('415 for a body that is not JSON, 400 INVALID_JSON for broken JSON, 413 past the limit', async () => {
    const text = await h.app.inject({
      method: 'POST',
      url: '/api/miners',
      headers: { ...AUTH, 'content-type': 'text/plain' },
      payload: 'host=1',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const broken = await h.app.inject({
      method: 'POST',
      url: '/api/miners',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: '{"host":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('INVALID_JSON');

    const big = await h.app.inject({
      method: 'POST',
      url: '/api/miners',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: JSON.stringify({ host: 'a', name: 'x'.repeat(70_000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('GET/PATCH/DELETE /api/miners/:id', () => {
  it('GET answers one miner, 404 MINER_NOT_FOUND otherwise', async () => {
    expect((await h.app.inject({ url: '/api/miners/m1' })).json().id).toBe('m1');
    const missing = await h.app.inject({ url: '/api/miners/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toEqual({ code: 'MINER_NOT_FOUND', message: "no miner with id 'nope'" });
  });

  it('PATCH renames, sets the interval, restores it with null, and disables', async () => {
    const res = await h.app.inject({
      method: 'PATCH',
      url: '/api/miners/m1',
      headers: AUTH,
      payload: { name: 'shed', intervalMs: 5000, enabled: false },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'shed', intervalMs: 5000, enabled: false });
    const reset = await h.app.inject({
      method: 'PATCH',
      url: '/api/miners/m1',
      headers: AUTH,
      payload: { intervalMs: null },
    });
    expect(reset.json().intervalMs).toBe(10_000);
  });

  it.each([
    [{ intervalMs: 999 }, 'body.intervalMs must be a whole number from 1000 to 86400000, or null, got 999'],
    [{}, 'at least one field'],
    [{ name: '' }, 'body.name must be a name of 1 to 64 characters, not all spaces, got ""'],
    [
      { host: '10.0.0.1' },
      'body.host is not a known key (known: name, intervalMs, enabled, tags, credentials)',
    ],
  ])('PATCH 400 for %j', async (payload, message) => {
    const res = await h.app.inject({ method: 'PATCH', url: '/api/miners/m1', headers: AUTH, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain(message);
  });

  it('PATCH 404 for an unknown miner', async () => {
    const res = await h.app.inject({
      method: 'PATCH',
      url: '/api/miners/zz',
      headers: AUTH,
      payload: { name: 'a' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('MINER_NOT_FOUND');
  });

  it('DELETE 204 keeping history by default, dropping it when asked, 404 when unknown', async () => {
    const kept = await h.app.inject({ method: 'DELETE', url: '/api/miners/m1', headers: AUTH });
    expect(kept.statusCode).toBe(204);
    expect(kept.body).toBe('');
    expect(h.monitor.calls.at(-1)?.args).toEqual(['m1', { dropHistory: false }]);
    h.monitor.miners.set('m2', { ...h.monitor.listMiners()[0]!, id: 'm2' });
    const dropped = await h.app.inject({
      method: 'DELETE',
      url: '/api/miners/m2?dropHistory=true',
      headers: AUTH,
    });
    expect(dropped.statusCode).toBe(204);
    expect(h.monitor.calls.at(-1)?.args).toEqual(['m2', { dropHistory: true }]);
    const missing = await h.app.inject({ method: 'DELETE', url: '/api/miners/m1', headers: AUTH });
    expect(missing.statusCode).toBe(404);
    const bad = await h.app.inject({
      method: 'DELETE',
      url: '/api/miners/m1?dropHistory=maybe',
      headers: AUTH,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('querystring.dropHistory');
  });
});

describe('POST /api/miners/:id/restart', () => {
  it('202 with the restart status', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/miners/m1/restart', headers: AUTH });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      minerId: 'm1',
      state: 'restarting',
      requestedAt: NOW,
      confirmedAt: null,
      detail: 'sent',
    });
  });

  it('404 for an unknown miner', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/miners/x/restart', headers: AUTH });
    expect(res.statusCode).toBe(404);
  });

  it('503 BREAKER_OPEN with Retry-After in whole seconds', async () => {
    h.monitor.failNext.set(
      'restartMiner',
      new MonitorError('BREAKER_OPEN', 'breaker open', { retryAfterMs: 12_345 }),
    );
    const res = await h.app.inject({ method: 'POST', url: '/api/miners/m1/restart', headers: AUTH });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('13');
    expect(res.json().error.code).toBe('BREAKER_OPEN');
  });

  it('429 RESTART_COOLDOWN with Retry-After, 409 RESTART_IN_PROGRESS', async () => {
    h.monitor.failNext.set(
      'restartMiner',
      new MonitorError('RESTART_COOLDOWN', 'wait', { retryAfterMs: 1000 }),
    );
    const cool = await h.app.inject({ method: 'POST', url: '/api/miners/m1/restart', headers: AUTH });
    expect([cool.statusCode, cool.headers['retry-after']]).toEqual([429, '1']);
    h.monitor.failNext.set('restartMiner', new MonitorError('RESTART_IN_PROGRESS', 'busy'));
    const busy = await h.app.inject({ method: 'POST', url: '/api/miners/m1/restart', headers: AUTH });
    expect(busy.statusCode).toBe(409);
  });

  it('500 INTERNAL_ERROR without leaking the message of an unexpected error', async () => {
    h.monitor.failNext.set('restartMiner', new Error('secret stack detail'));
    const res = await h.app.inject({ method: 'POST', url: '/api/miners/m1/restart', headers: AUTH });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'internal error' } });
  });
});

describe('GET /api/miners/:id/metrics', () => {
  const seriesCall = (h: Harness) => h.monitor.calls.filter((c) => c.method === 'series').at(-1)?.args[1];

  it('defaults to the last 24 h in 300 points', async () => {
    const res = await h.app.inject({ url: '/api/miners/m1/metrics' });
    expect(res.statusCode).toBe(200);
    expect(seriesCall(h)).toEqual({ from: NOW - 86_400_000, to: NOW, points: 300 });
    expect(res.json()).toMatchObject({
      source: 'raw',
      points: [{ count: 2, values: { hashrateGhs: { avg: 1200 } } }],
    });
  });

  it('passes from, to and points through', async () => {
    await h.app.inject({ url: '/api/miners/m1/metrics?from=1000&to=5000&points=2' });
    expect(seriesCall(h)).toEqual({ from: 1000, to: 5000, points: 2 });
  });

  it.each([
    ['points=1', 'querystring.points must be a whole number from 2 to 2000, got 1'],
    ['points=2001', 'querystring.points must be a whole number from 2 to 2000, got 2001'],
    ['from=5000&to=1000', 'must be before'],
    ['from=abc', 'querystring.from must be a whole number >= 0, got "abc"'],
    ['bucket=5', 'querystring.bucket is not a known key (known: from, to, points)'],
  ])('400 for %s', async (query, message) => {
    const res = await h.app.inject({ url: `/api/miners/m1/metrics?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain(message);
  });

  it('404 for an unknown miner', async () => {
    expect((await h.app.inject({ url: '/api/miners/nope/metrics' })).statusCode).toBe(404);
  });
});

describe('GET /api/miners/:id/events', () => {
  it('lists the miner events', async () => {
    const res = await h.app.inject({ url: '/api/miners/m1/events?limit=5' });
    expect(res.json().events[0]).toMatchObject({ minerId: 'm1', type: 'status', data: { from: 'unknown' } });
    expect(h.monitor.calls.at(-1)?.args[0]).toEqual({ minerId: 'm1', limit: 5 });
  });
});
