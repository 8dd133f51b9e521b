/**
 * POST /api/miners/:id/restart over the real monitor and drivers while the miner's one breaker is
 * open: 503 BREAKER_OPEN, `Retry-After`, and a message that names the breaker the user can look up
 * (and reset) in /api/resilience.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/buildApp.js';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { createRig, type Rig, waitForEvent } from '../monitor/helpers.js';
import { AUTH, TOKEN } from './harness.js';

let fleet: Fleet | undefined;
let rig: Rig | undefined;
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  await rig?.close();
  await fleet?.close();
  app = undefined;
  rig = undefined;
  fleet = undefined;
});

describe("restart while the miner's breaker is open", () => {
  it('answers 503 BREAKER_OPEN with Retry-After, naming the open breaker', async () => {
    fleet = await startFleet({ count: 1, kind: 'axeos', seed: 41 });
    const device = fleet.devices[0];
    if (device === undefined) throw new Error('no device');
    device.setFaults({ offline: true });
    rig = await createRig({
      defaultIntervalMs: 150,
      pollTimeoutMs: 300,
      breaker: { failureThreshold: 2, recoveryTimeoutMs: 60_000 },
    });
    const { id } = await rig.manager.addMiner({
      host: '127.0.0.1',
      port: device.port,
      kind: 'axeos',
      verify: false,
    });
    await rig.manager.start();
    await waitForEvent(
      rig.manager,
      (e) => e.type === 'status' && e.minerId === id && e.to === 'breaker_open',
      5000,
    );
    app = await buildApp({
      monitor: rig.manager,
      breakers: rig.retryManager,
      token: TOKEN,
      listenHost: '127.0.0.1',
      version: 'test',
      webRoot: null,
    });
    const name = `miner_operations:${id}`;

    const miner = (await app.inject({ url: `/api/miners/${id}` })).json();
    expect(miner.breaker).toMatchObject({ name, state: 'open' });

    const res = await app.inject({ method: 'POST', url: `/api/miners/${id}/restart`, headers: AUTH });
    expect(res.statusCode, res.body).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(50);
    expect(res.json().error.code).toBe('BREAKER_OPEN');
    expect(res.json().error.message).toContain(name);
  });
});
