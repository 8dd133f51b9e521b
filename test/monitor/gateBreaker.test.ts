/**
 * A dead miner's transport breaker (`http_requests:<origin>`, `cgminer:<host>:<port>`) opens while
 * the monitor's `miner_operations:<id>` stays closed (a refusal is no failure it counts): the view,
 * the back-off and the restart refusal must all follow the breaker that actually gates the miner.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isMonitorError } from '../../src/monitor/index.js';
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

const cases = [
  { kind: 'axeos', breaker: (port: number) => `http_requests:http://127.0.0.1:${port}` },
  { kind: 'cgminer', breaker: (port: number) => `cgminer:127.0.0.1:${port}` },
] as const;

describe('the breaker that gates a dead miner (simulator)', () => {
  it.each(cases)(
    '$kind: shows the open transport breaker, backs off and refuses a restart',
    async ({ kind, breaker }) => {
      fleet = await startFleet({ count: 1, kind, seed: 31 });
      const device = fleet.devices[0];
      if (device === undefined) throw new Error('no device');
      device.setFaults({ rates: { refuse: 1 } });
      rig = await createRig(
        { defaultIntervalMs: 150, pollTimeoutMs: 300 },
        { transportBreaker: { failureThreshold: 2, recoveryTimeoutMs: 60_000 } },
      );
      const { id } = await rig.manager.addMiner({
        host: '127.0.0.1',
        port: device.port,
        kind,
        verify: false,
      });
      await rig.manager.start();
      await waitForEvent(
        rig.manager,
        (e) => e.type === 'status' && e.minerId === id && e.to === 'breaker_open',
        5000,
      );

      const view = rig.manager.getMiner(id);
      expect(view?.status).toBe('breaker_open');
      expect(view?.breaker).toMatchObject({ name: breaker(device.port), state: 'open', failureCount: 2 });
      expect(view?.breaker?.nextAttemptAt).toBeGreaterThan(Date.now());
      // The scenario itself: the monitor's own breaker saw two failures and stays closed.
      expect(rig.retryManager.getCircuitBreaker(`miner_operations:${id}`).state).toBe('closed');

      // Backed off, not hammered: polls go on, yet the device sees no further connection.
      const seen = device.requestCount;
      await sleep(600);
      expect(device.requestCount).toBe(seen);
      expect(rig.manager.scheduler.stats().polls).toBeGreaterThan(3);

      // Nothing could be sent, so the restart is refused rather than "sent, watching the uptime".
      const refused = await rig.manager.restartMiner(id).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isMonitorError(refused) && refused.code).toBe('BREAKER_OPEN');
      expect(isMonitorError(refused) && refused.retryAfterMs).toBeGreaterThan(50_000);
      expect(device.requestCount).toBe(seen);

      // Removing the miner drops its breakers, so the same device can be added again at once.
      await rig.manager.removeMiner(id);
      expect(rig.retryManager.has(breaker(device.port))).toBe(false);
      expect(rig.retryManager.has(`miner_operations:${id}`)).toBe(false);
    },
  );
});
