/**
 * A zombie end to end, on a fake clock: a simulated AxeOS device keeps reporting its hashrate but
 * stops finding shares; proof-of-work health calls it not_hashing; the watchdog restarts it; the
 * uptime resetting confirms the restart; after its warm-up the shares flow again and the miner is
 * online, its alert cleared. Every step is an event and a notification. Real HTTP on loopback and
 * a real SQLite file; only time is fake.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { watchOneDevice } from './watchOneDevice.js';

let watched: Awaited<ReturnType<typeof watchOneDevice>> | undefined;

afterEach(async () => {
  await watched?.close();
  watched = undefined;
});

describe('watchdog (simulator, fake clock)', () => {
  it('detects a zombie, restarts it, sees the restart confirmed and the miner recover', async () => {
    watched = await watchOneDevice({ enabled: true });
    const { clock, device, sent, r, view, status, tick, until } = watched;

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
    watched = await watchOneDevice({ enabled: false });
    const { device, r, view, status, tick, until } = watched;
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
