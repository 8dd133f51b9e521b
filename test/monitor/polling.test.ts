/**
 * The monitor against the simulator over real sockets: a dead miner does not delay the others,
 * a flapping miner raises one alert per condition, and stop() leaves nothing running.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { createRig, type Rig, sleep, waitForEvent } from './helpers.js';

let fleet: Fleet | undefined;
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  await fleet?.close();
  rig = undefined;
  fleet = undefined;
});

describe('monitor polling (simulator)', () => {
  it('a hanging miner never delays another miner', async () => {
    fleet = await startFleet({ count: 2, kind: 'axeos', seed: 11 });
    const [dead, alive] = fleet.devices;
    dead?.setFaults({ rates: { hang: 1 } });
    rig = await createRig({ defaultIntervalMs: 500, pollTimeoutMs: 300, maxConcurrentPolls: 2 });
    const deadView = await rig.manager.addMiner({
      host: '127.0.0.1',
      port: dead?.port ?? 0,
      kind: 'axeos',
      verify: false,
    });
    const aliveView = await rig.manager.addMiner({ host: '127.0.0.1', port: alive?.port ?? 0 });
    await rig.manager.start();
    await waitForEvent(
      rig.manager,
      (e) => e.type === 'status' && e.minerId === deadView.id && /offline|breaker_open/.test(e.to),
      10_000,
    );
    await sleep(1500);
    const samples = rig.events
      .filter((e) => e.type === 'sample' && e.minerId === aliveView.id)
      .map((e) => (e.type === 'sample' ? e.sample.timestamp : 0));
    expect(samples.length).toBeGreaterThanOrEqual(5);
    const gaps = samples.slice(1).map((t, i) => t - (samples[i] ?? 0));
    // The hanging miner's polls wait 300 ms for nothing; the healthy one's spacing stays near its
    // 500 ms interval (the bound leaves room for a busy shared machine, not for a 300 ms stall).
    expect(Math.max(...gaps)).toBeLessThan(1200);
    expect(rig.manager.getMiner(aliveView.id)?.status).toBe('online');
    expect(rig.manager.getMiner(deadView.id)?.status).toMatch(/offline|breaker_open/);
    expect(rig.manager.scheduler.stats().lateness.p99Ms).toBeLessThan(300);
  });

  it('a flapping miner raises one alert per condition and notifies once', async () => {
    fleet = await startFleet({ count: 1, kind: 'axeos', seed: 12 });
    const device = fleet.devices[0];
    const sent: unknown[] = [];
    rig = await createRig({
      defaultIntervalMs: 200,
      pollTimeoutMs: 150,
      thresholds: { offlineAfterFailures: 1 },
      breaker: { failureThreshold: 1000 },
      alerts: { clearAfterMs: 10_000 },
      notifiers: [{ kind: 'webhook', url: 'http://127.0.0.1:9/hook' }],
      notificationSend: async (request) => {
        sent.push(request.body);
      },
    });
    const view = await rig.manager.addMiner({ host: '127.0.0.1', port: device?.port ?? 0 });
    await rig.manager.start();
    for (let flap = 0; flap < 4; flap += 1) {
      await sleep(500);
      device?.setFaults({ offline: true });
      await sleep(500);
      device?.setFaults(null);
    }
    await sleep(400);
    const wentOffline = rig.events.filter((e) => e.type === 'event' && e.event.type === 'went_offline');
    expect(wentOffline.length).toBeGreaterThanOrEqual(3);
    const opened = rig.events.filter(
      (e) => e.type === 'alert' && e.action === 'opened' && e.alert.condition === 'offline',
    );
    expect(opened).toHaveLength(1);
    await rig.manager.notifications.drain();
    expect(sent).toHaveLength(1);
    const stored = await rig.storage.listAlerts({ minerId: view.id });
    expect(stored.filter((a) => a.condition === 'offline')).toHaveLength(1);
  });

  it('stop() leaves no timer or socket behind', async () => {
    const counted = ['Timeout', 'TCPSocketWrap', 'TCPServerWrap', 'UDPWrap'];
    const count = () => {
      const tally: Record<string, number> = {};
      for (const kind of process.getActiveResourcesInfo())
        if (counted.includes(kind)) tally[kind] = (tally[kind] ?? 0) + 1;
      return tally;
    };
    await sleep(50);
    const before = count();
    const localFleet = await startFleet({ count: 3, kind: 'axeos', seed: 13 });
    const localRig = await createRig({ defaultIntervalMs: 200 });
    for (const device of localFleet.devices) {
      await localRig.manager.addMiner({ host: '127.0.0.1', port: device.port });
    }
    await localRig.manager.start();
    await sleep(700);
    expect(Object.values(count()).reduce((a, b) => a + b, 0)).toBeGreaterThan(
      Object.values(before).reduce((a, b) => a + b, 0),
    );
    await localRig.close();
    await localFleet.close();
    await sleep(50);
    const after = count();
    for (const kind of counted) expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(before[kind] ?? 0);
  });
});
