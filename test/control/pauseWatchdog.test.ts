/**
 * A pause is a state, not a zombie: a simulated AxeOS device paused through the API, with the
 * watchdog on, finds no shares for far longer than a zombie needs to be caught, and stays `paused`
 * with no restart; resumed through the API, its shares flow again and it is `online`. Real HTTP to
 * the device on loopback, a real SQLite file, the real monitor and API; only time is fake.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createControl } from '../../src/monitor/control/createControl.js';
import { buildApp } from '../../src/server/buildApp.js';
import { watchOneDevice } from '../monitor/watchOneDevice.js';
import { AUTH, TOKEN } from '../server/harness.js';

let watched: Awaited<ReturnType<typeof watchOneDevice>> | undefined;
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  await watched?.close();
});

describe('pause with the watchdog on (simulator, fake clock, through the API)', () => {
  it('stays paused past the zombie window with no restart, and is online once resumed', async () => {
    watched = await watchOneDevice({ enabled: true });
    const { clock, device, r, view, status, tick, until } = watched;
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
