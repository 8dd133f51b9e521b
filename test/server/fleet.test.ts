import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOW } from './fakes.js';
import { AUTH, type Harness, harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.app.close();
});

describe('GET /api/health', () => {
  it('answers ok with the database state, version and uptime', async () => {
    const res = await h.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      database: { ok: true, detail: 'ok', queued: 0, dropped: 0, available: true, breaker: 'closed' },
      mqtt: null,
      version: '1.2.3',
      uptimeS: 0,
    });
  });

  it('stays 200 but says degraded when the database breaker is open', async () => {
    h.breakers.add('database', 'open', 5);
    h.monitor.health_ = {
      ...h.monitor.health_,
      ok: false,
      detail: 'database is locked',
      stats: { ...h.monitor.health_.stats, available: false, queued: 42, dropped: 7 },
    };
    const res = await h.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'degraded',
      database: {
        ok: false,
        detail: 'database is locked',
        queued: 42,
        dropped: 7,
        available: false,
        breaker: 'open',
      },
    });
  });
});

it('GET /api/health answers degraded when the health check itself fails', async () => {
  h.monitor.health = async () => {
    throw new Error('disk I/O error');
  };
  const res = await h.app.inject({ url: '/api/health' });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({
    status: 'degraded',
    database: { ok: false, detail: 'health check failed: disk I/O error', available: false },
  });
});

describe('fleet', () => {
  it('GET /api/fleet answers totals, efficiency and solo odds', async () => {
    const res = await h.app.inject({ url: '/api/fleet' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      miners: { total: 1, online: 1 },
      efficiencyJth: 15,
      soloOdds: { difficultySource: 'miner', probabilityDay: 2e-7 },
      energy: null,
    });
  });

  it('GET /api/fleet prices the power when the config states an electricity price', async () => {
    await h.app.close();
    h = await harness({ energy: { pricePerKwh: 0.5, currency: 'EUR' } });
    const { energy } = (await h.app.inject({ url: '/api/fleet' })).json();
    // 18 W for a day is 0.432 kWh; a block expected in 4.3e11 s draws 2.15e6 kWh.
    expect(energy.currency).toBe('EUR');
    expect(energy.costPerDay).toBeCloseTo(0.216, 6);
    expect(energy.costPerMonth).toBeCloseTo(6.48, 6);
    expect(energy.costPerExpectedBlock).toBeCloseTo(1.075e6, -1);
  });

  it('GET /api/fleet/series answers the range it used', async () => {
    const res = await h.app.inject({ url: '/api/fleet/series?from=1000&points=10' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: 1000,
      to: NOW,
      points: [{ timestamp: 1000, hashrateGhs: 1200, expectedHashrateGhs: 1250, powerW: 18, miners: 1 }],
    });
    expect((await h.app.inject({ url: '/api/fleet/series?points=0' })).statusCode).toBe(400);
  });

  it('GET /api/alerts lists alerts, open only when asked', async () => {
    const res = await h.app.inject({ url: '/api/alerts?openOnly=true&limit=3' });
    expect(res.json().alerts[0]).toMatchObject({ key: 'overheating:m1', clearedAt: null });
    expect(h.monitor.calls.at(-1)?.args[0]).toEqual({ openOnly: true, limit: 3 });
  });
});

describe('resilience', () => {
  it('GET /api/resilience is exactly the registry stats, extra fields included', async () => {
    const res = await h.app.inject({ url: '/api/resilience' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(h.breakers.getStats())));
    expect(Object.keys(res.json())).toContain('http_requests:http://10.0.0.5');
  });

  it('resets a breaker whose name holds ":" and "/" when the client percent-encodes it', async () => {
    const name = 'http_requests:http://10.0.0.5';
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/resilience/breakers/${encodeURIComponent(name)}/reset`,
      headers: AUTH,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name,
      reset: true,
      stats: { name, state: 'closed', failureCount: 0 },
    });
    expect(h.breakers.stats.get(name)?.state).toBe('closed');
  });

  it('404 BREAKER_NOT_FOUND for an unknown breaker', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/resilience/breakers/nope/reset',
      headers: AUTH,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({
      code: 'BREAKER_NOT_FOUND',
      message: "no circuit breaker named 'nope'",
    });
  });
});

describe('POST /api/discover', () => {
  it('answers the miners found as JSON', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/discover',
      headers: AUTH,
      payload: { target: '10.0.0.0/30' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      target: '10.0.0.0/30',
      miners: [{ host: '10.0.0.9', kind: 'nerdqaxe' }],
    });
  });

  it('streams progress lines then the result as NDJSON when asked', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/discover',
      headers: { ...AUTH, accept: 'application/x-ndjson' },
      payload: { target: '10.0.0.0/30' },
    });
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['progress', 'progress', 'result']);
    expect(lines[1]).toEqual({ type: 'progress', scanned: 2, total: 2, found: 1 });
    expect(lines[2].miners).toHaveLength(1);
  });

  it('400 without a target', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/discover', headers: AUTH, payload: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('body.target is missing: expected a non-empty string');
  });
});

describe('unknown routes', () => {
  it('404 NOT_FOUND in the error shape for API paths and unknown methods', async () => {
    for (const [method, url] of [
      ['GET', '/api/nothing'],
      ['PUT', '/api/miners'],
      ['GET', '/nothing.js'],
    ] as const) {
      const res = await h.app.inject({ method, url, headers: AUTH });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });
});
