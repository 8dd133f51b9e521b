/** Real pieces for the monitor's integration tests: simulator fleet, drivers, storage, manager. */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDriverRegistry, type DriverRegistry } from '../../src/miners/index.js';
import {
  createMonitor,
  type MinerManager,
  type MinerManagerOptions,
  type MonitorEvent,
} from '../../src/monitor/index.js';
import { RetryManager } from '../../src/resilience/index.js';
import { SqliteStorage, type Storage } from '../../src/storage/index.js';

export interface Rig {
  readonly manager: MinerManager;
  readonly registry: DriverRegistry;
  readonly retryManager: RetryManager;
  readonly storage: Storage;
  readonly events: MonitorEvent[];
  close(): Promise<void>;
}

/** A real SQLite file in a fresh temporary directory, removed again by `dispose`. */
export async function createStorage(): Promise<{ storage: Storage; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'solowatch-monitor-'));
  const storage = new SqliteStorage({ path: join(dir, 'solowatch.db'), flushIntervalMs: 100 });
  await storage.initialize();
  return {
    storage,
    async dispose() {
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function createRig(options: Partial<MinerManagerOptions> = {}): Promise<Rig> {
  const retryManager = new RetryManager();
  const registry = createDriverRegistry();
  const { storage, dispose } = await createStorage();
  const manager = createMonitor({
    storage,
    drivers: registry,
    retryManager,
    jitterRatio: 0,
    defaultIntervalMs: 500,
    pollTimeoutMs: 400,
    ...options,
  });
  const events: MonitorEvent[] = [];
  manager.subscribe((event) => events.push(event));
  return {
    manager,
    registry,
    retryManager,
    storage,
    events,
    async close() {
      await manager.stop();
      await registry.close();
      await dispose();
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with the first event matching `test`, or rejects after `timeoutMs`. */
export function waitForEvent(
  manager: MinerManager,
  test: (event: MonitorEvent) => boolean,
  timeoutMs: number,
): Promise<MonitorEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = manager.subscribe((event) => {
      if (!test(event)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

/** A port free on every given loopback address right now. */
export async function freePort(hosts: readonly string[]): Promise<number> {
  for (let tries = 0; tries < 20; tries += 1) {
    const probe = createServer();
    probe.listen(0, hosts[0]);
    await once(probe, 'listening');
    const port = (probe.address() as { port: number }).port;
    probe.close();
    let ok = true;
    for (const host of hosts.slice(1)) {
      const other = createServer();
      try {
        other.listen(port, host);
        await once(other, 'listening');
      } catch {
        ok = false;
      }
      other.close();
    }
    if (ok) return port;
  }
  throw new Error('no free port found');
}
