/**
 * One simulated AxeOS device watched by a real monitor (real HTTP on loopback, a real SQLite file)
 * on a fake clock, with helpers that move time and wait for what the real I/O then does.
 */
import type { HttpRequestSpec } from '../../src/monitor/index.js';
import { FakeClock } from '../../src/resilience/testing.js';
import { startFleet } from '../../src/simulator/index.js';
import { createRig, type Rig, sleep } from './helpers.js';

/** Lets the real I/O that fake time set going finish: no poll in flight, twice in a row. */
async function settle(r: Rig): Promise<void> {
  let quiet = 0;
  for (let i = 0; i < 400 && quiet < 2; i += 1) {
    await sleep(5);
    quiet = r.manager.scheduler.stats().inFlight === 0 ? quiet + 1 : 0;
  }
}

export async function watchOneDevice(watchdog: { enabled: boolean }) {
  const clock = new FakeClock(1_750_000_000_000);
  const fleet = await startFleet({ count: 1, kind: 'axeos', seed: 7, clock, restartDelayMs: 0 });
  const device = fleet.devices[0];
  if (device === undefined) throw new Error('no device');
  const sent: HttpRequestSpec[] = [];
  const r = await createRig({
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
  const close = async () => {
    await r.close();
    await fleet.close();
  };
  return { clock, device, sent, r, view, status, tick, until, close };
}
