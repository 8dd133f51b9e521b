/** Backfill from the device's own statistics ring buffer after the monitor itself was down. */
import { afterEach, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { createRig, type Rig, waitForEvent } from './helpers.js';

let fleet: Fleet | undefined;
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  await fleet?.close();
});

/** The miner as a monitor that ran until 15 minutes ago left it: configured, one sample stored. */
async function seedGap(rig: Rig, device: { port: number; mac: string } | undefined): Promise<number> {
  const gapStart = Date.now() - 15 * 60_000;
  await rig.storage.saveMinerConfig({
    id: 'backfill-1',
    name: 'gamma',
    host: '127.0.0.1',
    port: device?.port ?? 0,
    kind: 'axeos',
    mac: device?.mac ?? null,
    hostname: null,
    intervalMs: null,
    enabled: true,
    tags: [],
    credentials: null,
    createdAt: gapStart - 60_000,
    updatedAt: gapStart - 60_000,
  });
  await rig.storage.saveMetrics([
    {
      minerId: 'backfill-1',
      timestamp: gapStart,
      hashrateGhs: 1000,
      expectedHashrateGhs: 1000,
      temperatureC: 50,
      vrTemperatureC: 50,
      powerW: 15,
      inputVoltageV: 5,
      fanRpm: 4000,
      sharesAccepted: 1,
      sharesRejected: 0,
      bestDifficulty: 1,
      sessionBestDifficulty: 1,
      uptimeS: 1,
      backfilled: false,
    },
  ]);
  await rig.storage.flush();
  return gapStart;
}

describe('backfill (simulator, SQLite)', () => {
  it('fills the gap since the last stored sample from /api/system/statistics, marked backfilled', async () => {
    fleet = await startFleet({ count: 1, kind: 'axeos', seed: 51, firmware: '2.12.0' });
    rig = await createRig({ defaultIntervalMs: 1000 });
    const gapStart = await seedGap(rig, fleet.devices[0]);
    const filled = waitForEvent(
      rig.manager,
      (e) => e.type === 'event' && e.event.type === 'backfilled',
      5000,
    );
    await rig.manager.start();
    const event = await filled;
    expect(event.type === 'event' && (event.event.data.points as number)).toBeGreaterThan(0);
    await rig.storage.flush();
    const series = await rig.storage.querySeries('backfill-1', {
      from: gapStart + 1,
      to: Date.now(),
      points: 1000,
    });
    expect(series.points.length).toBeGreaterThan(1);
  });

  it('takes the 302 of a release without statistics (v2.6) as "no history": no breaker failure', async () => {
    fleet = await startFleet({ count: 1, kind: 'axeos', seed: 52, firmware: '2.6.0' });
    rig = await createRig({ defaultIntervalMs: 200 });
    await seedGap(rig, fleet.devices[0]);
    await rig.manager.start();
    for (let polls = 0; polls < 3; polls += 1) {
      await waitForEvent(rig.manager, (e) => e.type === 'sample' && e.minerId === 'backfill-1', 5000);
    }
    const breaker = rig.retryManager.getStats()['miner_operations:backfill-1'];
    expect(breaker?.state).toBe('closed');
    expect(breaker?.failures).toBe(0);
    expect(rig.events.some((e) => e.type === 'event' && e.event.type === 'backfilled')).toBe(false);
  });
});
