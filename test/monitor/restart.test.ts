/** Restart against the simulator: sent once, confirmed by the uptime resetting, cooldown held. */
import { afterEach, describe, expect, it } from 'vitest';
import { isMonitorError } from '../../src/monitor/index.js';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { createRig, type Rig, waitForEvent } from './helpers.js';

let fleet: Fleet | undefined;
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  await fleet?.close();
});

describe('monitor restart (simulator)', () => {
  it('confirms a restart by the uptime resetting, and a cooldown refuses a second one', async () => {
    fleet = await startFleet({ count: 1, kind: 'axeos', seed: 21, restartDelayMs: 300 });
    const device = fleet.devices[0];
    rig = await createRig({
      defaultIntervalMs: 1000,
      restart: { cooldownMs: 60_000, confirmTimeoutMs: 10_000, confirmPollMs: 250 },
    });
    const view = await rig.manager.addMiner({ host: '127.0.0.1', port: device?.port ?? 0 });
    await rig.manager.start();
    await waitForEvent(rig.manager, (e) => e.type === 'sample', 3000);
    const confirmed = waitForEvent(
      rig.manager,
      (e) => e.type === 'restart' && e.restart.state !== 'restarting',
      10_000,
    );
    const status = await rig.manager.restartMiner(view.id);
    expect(status.state).toBe('restarting');
    const settled = await confirmed;
    expect(settled.type === 'restart' && settled.restart.state).toBe('confirmed');
    expect(rig.manager.getMiner(view.id)?.restart?.state).toBe('confirmed');
    const events = (await rig.storage.listEvents({ minerId: view.id })).map((e) => e.type);
    expect(events).toContain('restart_confirmed');
    expect(events).not.toContain('rebooted');
    try {
      await rig.manager.restartMiner(view.id);
      expect.unreachable('a second restart inside the cooldown must be refused');
    } catch (error) {
      expect(isMonitorError(error) && error.code).toBe('RESTART_COOLDOWN');
      expect(isMonitorError(error) && error.retryAfterMs).toBeGreaterThan(50_000);
    }
  });
});
