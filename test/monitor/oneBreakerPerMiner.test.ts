/**
 * One breaker per miner (DESIGN.md): every call to a miner goes through `miner_operations:<id>`,
 * and the transports keep none of their own. A dead device (AxeOS over HTTP, cgminer over TCP)
 * opens exactly that breaker: the registry holds nothing else for it, the view shows it, polls
 * are refused without a connection, a restart is refused, and removing the miner drops it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isMonitorError } from '../../src/monitor/index.js';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { createRig, type Rig, waitForEvent } from './helpers.js';

let fleet: Fleet | undefined;
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  await fleet?.close();
  rig = undefined;
  fleet = undefined;
});

/** Resolves once `test` holds (checked every 20 ms), or rejects after 5 s. */
async function until(test: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5000; !test(); ) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('one breaker per miner (simulator)', () => {
  it.each(['axeos', 'cgminer'] as const)(
    '%s: a dead miner opens miner_operations:<id> and nothing else; polls and a restart are refused',
    async (kind) => {
      fleet = await startFleet({ count: 1, kind, seed: 31 });
      const device = fleet.devices[0];
      if (device === undefined) throw new Error('no device');
      device.setFaults({ rates: { refuse: 1 } });
      rig = await createRig({
        defaultIntervalMs: 150,
        pollTimeoutMs: 300,
        breaker: { failureThreshold: 2, recoveryTimeoutMs: 60_000 },
      });
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
      const name = `miner_operations:${id}`;
      expect(rig.retryManager.names()).toEqual([name]);
      const view = rig.manager.getMiner(id);
      expect(view?.breaker).toMatchObject({ name, state: 'open', failureCount: 2 });
      expect(view?.breaker?.nextAttemptAt).toBeGreaterThan(Date.now());

      // Backed off, not hammered: polls go on and are refused, yet the device sees no connection.
      const breaker = rig.retryManager.getCircuitBreaker(name);
      const seen = device.requestCount;
      const refusals = breaker.stats().refusals;
      await until(() => breaker.stats().refusals >= refusals + 3);
      expect(device.requestCount).toBe(seen);

      // Nothing could be sent, so the restart is refused rather than "sent, watching the uptime".
      const refused = await rig.manager.restartMiner(id).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isMonitorError(refused) && refused.code).toBe('BREAKER_OPEN');
      expect(isMonitorError(refused) && refused.message).toContain(name);
      expect(isMonitorError(refused) && refused.retryAfterMs).toBeGreaterThan(50_000);
      expect(device.requestCount).toBe(seen);
      expect(rig.retryManager.names()).toEqual([name]);

      // Removing the miner drops its breaker, so the same device can be added again at once.
      await rig.manager.removeMiner(id);
      expect(rig.retryManager.names()).toEqual([]);
    },
  );
});
