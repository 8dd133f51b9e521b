/**
 * A pause is a state, not a zombie: a simulated AxeOS device paused through the API, with the
 * watchdog on, finds no shares for far longer than a zombie needs to be caught, and stays `paused`
 * with no restart; resumed through the API, its shares flow again and it is `online`. Real HTTP to
 * the device on loopback, a real SQLite file, the real monitor and API; only time is fake.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createControl } from '../../src/monitor/control/createControl.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { buildApp } from '../../src/server/buildApp.js';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { createRig, type Rig, sleep } from '../monitor/helpers.js';
import { AUTH, TOKEN } from '../server/harness.js';

let fleet: Fleet | undefined;
let rig: Rig | undefined;
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  await rig?.close();
  await fleet?.close();
});

/** Lets the real I/O that fake time set going finish: no poll in flight, twice in a row. */
async function settle(r: Rig): Promise<void> {
  let quiet = 0;
  for (let i = 0; i < 400 && quiet < 2; i += 1) {
    await sleep(5);
    quiet = r.manager.scheduler.stats().inFlight === 0 ? quiet + 1 : 0;
  }
}

describe('pause with the watchdog on (simulator, fake clock, through the API)', () => {
  it('stays paused past the zombie window with no restart, and is online once resumed', async () => {
    const clock = new FakeClock(1_750_000_000_000);
    fleet = await startFleet({ count: 1, kind: 'axeos', seed: 7, clock, restartDelayMs: 0 });
    const device = fleet.devices[0];
    if (device === undefined) throw new Error('no device');
    rig = await createRig({
      clock,
      defaultIntervalMs: 10_000,
      thresholds: { warmupS: 60 },
      watchdog: { enabled: true, maxRestartsPerHour: 2, cooldownMs: 600_000 },
      restart: { confirmTimeoutMs: 120_000, confirmPollMs: 2000 },
      alerts: { clearAfterMs: 0 },
    });
    const r = rig;
    app = await buildApp({
      monitor: r.manager,
      breakers: r.retryManager,
      token: TOKEN,
      listenHost: '127.0.0.1',
      version: 'test',
      webRoot: null,
      clock,
      control: createControl(r.manager, { clock, settings: { timeoutMs: 2000 } }),
    });
    const view = await r.manager.addMiner({
      host: '127.0.0.1',
      port: device.port,
      kind: 'axeos',
      verify: false,
    });
    await r.manager.start();
    const status = () => r.manager.getMiner(view.id)?.status;
    const tick = async (ms: number) => {
      await clock.advance(ms);
      await settle(r);
    };
    const until = async (test: () => boolean, maxMs: number, stepMs = 2000) => {
      for (let waited = 0; waited <= maxMs; waited += stepMs) {
        if (test()) return;
        await tick(stepMs);
      }
      throw new Error(`not reached within ${maxMs} ms of fake time (status ${status()})`);
    };
    const command = (what: 'pause' | 'resume') =>
      app?.inject({
        method: 'POST',
        url: `/api/miners/${view.id}/${what}`,
        headers: { ...AUTH, 'x-solowatch-client': 'test' },
      });

    await until(() => status() === 'online', 60_000);
    await tick(300_000);
    expect(status()).toBe('online');

    const paused = await command('pause');
    expect(paused?.statusCode, paused?.body).toBe(202);
    expect(device.model.paused).toBe(true);
    expect(status()).toBe('paused');
    // A zombie at this hashrate is caught within about two minutes (test/monitor/watchdog.test.ts);
    // paused for twenty, it finds nothing and is left alone.
    await tick(1_200_000);
    expect(status()).toBe('paused');
    expect(r.manager.getMiner(view.id)?.statusReason).toBe('paused by api:test');
    expect(device.model.bootCount).toBe(0);
    expect(r.events.some((e) => e.type === 'restart')).toBe(false);
    expect(r.events.some((e) => e.type === 'status' && e.to === 'not_hashing')).toBe(false);

    const resumed = await command('resume');
    expect(resumed?.statusCode, resumed?.body).toBe(202);
    expect(device.model.paused).toBe(false);
    await until(() => status() === 'online', 60_000);
    // Judged again once settled, and its shares keep it online.
    await tick(600_000);
    expect(status()).toBe('online');
    expect(device.model.bootCount).toBe(0);

    await r.manager.drainBackground();
    const events = (await r.storage.listEvents({ minerId: view.id, limit: 200 })).reverse();
    const types = events.map((e) => e.type);
    expect(types).not.toContain('not_hashing');
    expect(types).not.toContain('hashrate_low');
    expect(types).not.toContain('restart_requested');
    // Each command is one event, written once, naming who asked.
    expect(types.filter((t) => t === 'miner_paused')).toHaveLength(1);
    expect(types.filter((t) => t === 'miner_resumed')).toHaveLength(1);
    expect(events.find((e) => e.type === 'miner_paused')?.data).toMatchObject({ actor: 'api:test' });
    const open = await r.manager.listAlerts({ openOnly: true });
    expect(open).toEqual([]);
  }, 60_000);
});
