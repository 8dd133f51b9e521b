/**
 * A zombie end to end, on a fake clock: a simulated AxeOS device keeps reporting its hashrate but
 * stops finding shares; proof-of-work health calls it not_hashing; the watchdog restarts it; the
 * uptime resetting confirms the restart; after its warm-up the shares flow again and the miner is
 * online, its alert cleared. Every step is an event and a notification. Real HTTP on loopback and
 * a real SQLite file; only time is fake.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRequestSpec } from '../../src/monitor/index.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { createRig, type Rig, sleep } from './helpers.js';

let fleet: Fleet | undefined;
let rig: Rig | undefined;

afterEach(async () => {
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

/** One simulated AxeOS device watched on a fake clock, with helpers that move time. */
async function watchOneDevice(watchdog: { enabled: boolean }) {
  const clock = new FakeClock(1_750_000_000_000);
  fleet = await startFleet({ count: 1, kind: 'axeos', seed: 7, clock, restartDelayMs: 0 });
  const device = fleet.devices[0];
  if (device === undefined) throw new Error('no device');
  const sent: HttpRequestSpec[] = [];
  rig = await createRig({
    clock,
    defaultIntervalMs: 10_000,
    thresholds: { warmupS: 60 },
    watchdog: { ...watchdog, maxRestartsPerHour: 2, cooldownMs: 600_000 },
    restart: { confirmTimeoutMs: 120_000, confirmPollMs: 2000 },
    alerts: { clearAfterMs: 0 },
    notifiers: [{ kind: 'webhook', name: 'hook', url: 'http://127.0.0.1:9/hook' }],
    notificationSend: async (request) => {
      sent.push(request);
    },
  });
  const r = rig;
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
      if (test()) return waited;
      await tick(stepMs);
    }
    throw new Error(`not reached within ${maxMs} ms of fake time (status ${status()})`);
  };
  return { clock, device, sent, r, view, status, tick, until };
}

describe('watchdog (simulator, fake clock)', () => {
  it('detects a zombie, restarts it, sees the restart confirmed and the miner recover', async () => {
    const { clock, device, sent, r, view, status, tick, until } = await watchOneDevice({ enabled: true });

    await until(() => status() === 'online', 60_000);
    // Healthy for ten minutes: its shares match its hashrate, no alarm.
    await tick(600_000);
    expect(status()).toBe('online');

    device.setFaults({ mining: 'zombie' });
    const zombieAt = clock.now();
    await until(() => r.events.some((e) => e.type === 'status' && e.to === 'not_hashing'), 600_000);
    const detectedAfterS = (clock.now() - zombieAt) / 1000;
    // 1.07 TH/s at difficulty 1000 is 0.25 shares/s; half believed, ln(1e6) of them missing: ~110 s.
    expect(detectedAfterS).toBeGreaterThan(60);
    expect(detectedAfterS).toBeLessThan(300);

    await until(() => r.events.some((e) => e.type === 'restart' && e.restart.state === 'confirmed'), 180_000);
    expect(device.model.bootCount).toBe(1);
    // Online after the reboot; once warmed up its shares are judged again and the alert closes.
    await until(
      () =>
        status() === 'online' &&
        r.events.some(
          (e) => e.type === 'alert' && e.action === 'cleared' && e.alert.condition === 'not_hashing',
        ),
      600_000,
    );

    await r.manager.drainBackground();
    const events = (await r.storage.listEvents({ minerId: view.id, limit: 100 }))
      .map((e) => e.type)
      .reverse();
    const order = ['not_hashing', 'restart_requested', 'restart_confirmed'].map((type) =>
      events.indexOf(type),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(events).not.toContain('rebooted');
    expect(events).not.toContain('watchdog_gave_up');
    const requested = (await r.storage.listEvents({ minerId: view.id, limit: 100 })).find(
      (e) => e.type === 'restart_requested',
    );
    expect(requested?.data).toMatchObject({ by: 'watchdog', reason: 'not hashing' });

    await r.manager.notifications.drain();
    const told = sent.map((request) => JSON.stringify(request.body));
    for (const what of ['not hashing', 'restart requested', 'restart confirmed']) {
      expect(told.some((body) => body.includes(what))).toBe(true);
    }
    // The not_hashing alert closed once shares flowed again.
    const open = await r.manager.listAlerts({ openOnly: true });
    expect(open.filter((a) => a.condition === 'not_hashing')).toEqual([]);
  }, 60_000);

  it('leaves a zombie alone while off, and heals it once switched on at run time', async () => {
    const { device, r, view, status, tick, until } = await watchOneDevice({ enabled: false });
    await until(() => status() === 'online', 60_000);
    await tick(600_000);
    device.setFaults({ mining: 'zombie' });
    await until(() => status() === 'not_hashing', 600_000);
    await tick(600_000);
    expect(device.model.bootCount).toBe(0);
    expect(r.events.some((e) => e.type === 'restart')).toBe(false);

    r.manager.setWatchdog({ enabled: true, maxRestartsPerHour: 2, cooldownMs: 600_000 });
    expect(r.manager.watchdog.enabled).toBe(true);
    await until(() => r.events.some((e) => e.type === 'restart' && e.restart.state === 'confirmed'), 180_000);
    expect(device.model.bootCount).toBe(1);
    await r.manager.drainBackground();
    const requested = (await r.storage.listEvents({ minerId: view.id, limit: 100 })).find(
      (e) => e.type === 'restart_requested',
    );
    expect(requested?.data).toMatchObject({ by: 'watchdog', reason: 'not hashing' });
  }, 60_000);
});
