/**
 * Some hours of history for the simulated fleet, written into the database before the app starts,
 * so charts and screenshots show a fleet that has been running instead of a single point. The
 * values follow each device's own current reading, with slow drift and a little noise.
 */
import { join } from 'node:path';
import type { MinerKind } from '../../src/miners/MinerSample.js';
import { RetryManager } from '../../src/resilience/index.js';
import type { SimulatedDevice } from '../../src/simulator/index.js';
import type { MetricRecord } from '../../src/storage/index.js';
import { SqliteStorage } from '../../src/storage/index.js';

const STEP_MS = 60_000;

export function minerIdOf(index: number): string {
  return `e2e-miner-${index + 1}`;
}

function kindOf(device: SimulatedDevice): MinerKind {
  return device.kind === 'avalon' ? 'cgminer' : device.kind;
}

/** Writes `hours` of one-minute samples for every device; the miners get ids `minerIdOf(i)`. */
export async function seedHistory(
  dataDir: string,
  databaseFile: string,
  devices: readonly SimulatedDevice[],
  hours: number,
  now = Date.now(),
): Promise<void> {
  const storage = new SqliteStorage({ path: join(dataDir, databaseFile), manager: new RetryManager() });
  await storage.initialize();
  try {
    const from = now - hours * 3_600_000;
    const rows: MetricRecord[] = [];
    for (const [i, device] of devices.entries()) {
      const id = minerIdOf(i);
      await storage.saveMinerConfig({
        id,
        name: device.hostname,
        host: device.host,
        port: device.port,
        kind: kindOf(device),
        mac: device.mac,
        hostname: device.hostname,
        intervalMs: null,
        enabled: true,
        tags: [],
        credentials: null,
        createdAt: from,
        updatedAt: from,
      });
      const s = device.model.snapshot();
      const upSince = now - s.uptimeSeconds * 1000;
      for (let t = from, k = 0; t < now - STEP_MS; t += STEP_MS, k += 1) {
        const wave = Math.sin(k / 37 + i) * 0.025 + Math.sin(k / 7 + i * 3) * 0.01;
        const ratio = t - from > 0.6 * (now - from) && i === 2 ? 0.9 : 1;
        const share = (t - from) / (now - from);
        rows.push({
          minerId: id,
          timestamp: t,
          hashrateGhs: s.expectedHashrateGh * (1 + wave) * ratio,
          expectedHashrateGhs: s.expectedHashrateGh,
          temperatureC: s.chipTempC + wave * 40,
          vrTemperatureC: s.vrTempC + wave * 30,
          powerW: s.powerW * (1 + wave / 2),
          inputVoltageV: s.inputVoltageMv / 1000,
          fanRpm: s.fanRpm,
          sharesAccepted: Math.round(s.sharesAccepted * share),
          sharesRejected: Math.round(s.sharesRejected * share),
          bestDifficulty: s.bestDiff,
          sessionBestDifficulty: s.bestSessionDiff,
          uptimeS: t >= upSince ? Math.round((t - upSince) / 1000) : null,
          backfilled: false,
        });
      }
    }
    await storage.saveMetrics(rows);
    await storage.flush();
  } finally {
    await storage.close();
  }
}
