/** Shared fixtures for the storage tests: temp files, samples, and a storage on a fake clock. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RetryManager } from '../../src/resilience/index.js';
import { FakeClock } from '../../src/resilience/testing.js';
import type { MetricRecord, MinerRecord } from '../../src/storage/index.js';
import { SqliteStorage, type SqliteStorageOptions } from '../../src/storage/index.js';

export const NOW = Date.UTC(2026, 0, 31);
export const DAY = 86_400_000;

export function tempDir(): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'solowatch-storage-'));
  return {
    dir,
    file: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function sample(
  minerId: string,
  timestamp: number,
  overrides: Partial<MetricRecord> = {},
): MetricRecord {
  return {
    minerId,
    timestamp,
    hashrateGhs: 500,
    expectedHashrateGhs: 520,
    temperatureC: 55,
    vrTemperatureC: null,
    powerW: 15,
    inputVoltageV: 5.1,
    fanRpm: 3000,
    sharesAccepted: 10,
    sharesRejected: 0,
    bestDifficulty: 1e6,
    sessionBestDifficulty: 1e5,
    uptimeS: 100,
    backfilled: false,
    ...overrides,
  };
}

export function miner(id: string, overrides: Partial<MinerRecord> = {}): MinerRecord {
  return {
    id,
    name: `Bitaxe ${id}`,
    host: '10.0.0.5',
    port: 80,
    kind: 'axeos',
    mac: 'aa:bb:cc:dd:ee:01',
    hostname: 'bitaxe',
    intervalMs: null,
    enabled: true,
    tags: [],
    credentials: null,
    createdAt: NOW - DAY,
    updatedAt: NOW - DAY,
    ...overrides,
  };
}

export interface Harness {
  readonly storage: SqliteStorage;
  readonly clock: FakeClock;
  readonly manager: RetryManager;
}

/** A storage on its own RetryManager and a FakeClock, so no test waits for real time. */
export function harness(path: string, options: Partial<SqliteStorageOptions> = {}): Harness {
  const clock = new FakeClock(NOW);
  const manager = new RetryManager({ clock });
  const storage = new SqliteStorage({
    path,
    clock,
    manager,
    random: () => 0.5,
    busyTimeoutMs: 10,
    ...options,
  });
  return { storage, clock, manager };
}
