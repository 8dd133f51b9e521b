/**
 * The API over the real MinerManager (on the monitor's own fakes for devices, storage and time),
 * so the response schemas are checked against the shapes the monitor really produces.
 */
import { spawnSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createHarness,
  liveDevice,
  type Harness as MonitorHarness,
} from '../../src/monitor/testing/harness.js';
import { buildApp } from '../../src/server/buildApp.js';
import { AUTH, TOKEN } from './harness.js';

let m: MonitorHarness;
let app: FastifyInstance;

beforeEach(async () => {
  m = createHarness({ verify: { maxAttempts: 1 }, networkDifficulty: 1.2e14 });
  m.driver.on(
    '10.0.0.5',
    liveDevice(m.clock, 'AA:BB:CC:DD:EE:05', { hostname: '<img src=x onerror=alert(1)>' }).behaviour,
  );
  await m.manager.start();
  app = await buildApp({
    monitor: m.manager,
    breakers: m.retryManager,
    token: TOKEN,
    listenHost: '127.0.0.1',
    version: 'test',
    webRoot: null,
    clock: m.clock,
  });
});
afterEach(async () => {
  await app.close();
  await m.manager.stop();
});

async function addMiner(): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/miners',
    headers: AUTH,
    payload: { host: '10.0.0.5', name: 'garage' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe('the API over the real MinerManager', () => {
  it('adds a miner, then lists, reads and polls it', async () => {
    const id = await addMiner();
    await m.clock.advance(25_000);
    const list = await app.inject({ url: '/api/miners' });
    expect(list.statusCode, list.body).toBe(200);
    const [view] = list.json().miners;
    expect(view).toMatchObject({ id, name: 'garage', host: '10.0.0.5', mac: 'AA:BB:CC:DD:EE:05' });
    expect(view.hostname).toBe('<img src=x onerror=alert(1)>');
    expect(view.lastSample.hashrateGhs).toBeGreaterThan(0);
    const one = (await app.inject({ url: `/api/miners/${id}` })).json();
    // The list carries the table's fields of the sample; the miner itself carries them all.
    expect(one).toMatchObject({
      ...view,
      lastSample: { ...view.lastSample, hostname: '<img src=x onerror=alert(1)>' },
    });
  });

  it('refuses a duplicate with 409 and an unreachable address with 422', async () => {
    await addMiner();
    const dup = await app.inject({
      method: 'POST',
      url: '/api/miners',
      headers: AUTH,
      payload: { host: '10.0.0.5' },
    });
    expect(dup.statusCode, dup.body).toBe(409);
    expect(dup.json().error.code).toBe('MINER_EXISTS');
    const gone = await app.inject({
      method: 'POST',
      url: '/api/miners',
      headers: AUTH,
      payload: { host: '10.0.0.99' },
    });
    expect(gone.statusCode, gone.body).toBe(422);
    expect(['MINER_UNREACHABLE', 'NOT_A_MINER']).toContain(gone.json().error.code);
  });

  it('renames, restarts, serves series, fleet, health, alerts and events', async () => {
    const id = await addMiner();
    await m.clock.advance(35_000);
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/api/miners/${id}`,
      headers: AUTH,
      payload: { name: 'shed', intervalMs: 5000 },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'shed', intervalMs: 5000 });
    const invalid = await app.inject({
      method: 'PATCH',
      url: `/api/miners/${id}`,
      headers: AUTH,
      payload: { intervalMs: 10 },
    });
    expect(invalid.statusCode).toBe(400);

    const restart = await app.inject({ method: 'POST', url: `/api/miners/${id}/restart`, headers: AUTH });
    expect(restart.statusCode, restart.body).toBe(202);
    expect(restart.json()).toMatchObject({ minerId: id, state: 'restarting' });

    for (const url of [
      `/api/miners/${id}/metrics?from=${m.clock.now() - 3_600_000}`,
      '/api/fleet',
      '/api/fleet/series',
      '/api/health',
      '/api/alerts',
      `/api/miners/${id}/events`,
      '/api/resilience',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    }
    const fleet = (await app.inject({ url: '/api/fleet' })).json();
    expect(fleet.miners.total).toBe(1);
    expect(fleet.soloOdds?.networkDifficulty).toBeGreaterThan(0);
    const breakers = (await app.inject({ url: '/api/resilience' })).json();
    expect(Object.keys(breakers)).toContain(`miner_operations:${id}`);
  });

  it('removes a miner with 204, then 404s it', async () => {
    const id = await addMiner();
    expect((await app.inject({ method: 'DELETE', url: `/api/miners/${id}`, headers: AUTH })).statusCode).toBe(
      204,
    );
    expect((await app.inject({ url: `/api/miners/${id}` })).statusCode).toBe(404);
  });

  it('exposes valid Prometheus text for a polled miner', async () => {
    await addMiner();
    await m.clock.advance(35_000);
    const text = (await app.inject({ url: '/metrics' })).body;
    expect(text).toMatch(/solowatch_miner_up\{miner="[^"]+"\} 1/);
    // The histogram holds the scheduler's own measure of every poll, not an estimate.
    const { lateness } = m.manager.scheduler.stats();
    expect(lateness.count).toBeGreaterThan(1);
    expect(text).toContain(`solowatch_poll_lateness_seconds_count ${lateness.count}`);
    const sum = Number(/^solowatch_poll_lateness_seconds_sum (\S+)$/m.exec(text)?.[1]);
    expect(sum).toBeCloseTo((lateness.meanMs * lateness.count) / 1000, 6);
    const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (result.error === undefined || process.env.CI === 'true') {
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    }
  });
});
