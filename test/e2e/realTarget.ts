/**
 * The real app as a user runs it: `startSolowatch` with a fresh data directory watching a
 * simulated fleet of every kind, one of them with a hostile hostname, that has six hours of
 * history behind it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG, type SolowatchConfig } from '../../src/config/Config.js';
import { DATABASE_FILE, startSolowatch } from '../../src/main.js';
import type { MinerView } from '../../src/monitor/types.js';
import { RetryManager } from '../../src/resilience/index.js';
import { startFleet } from '../../src/simulator/index.js';
import { waitFor } from '../waitFor.js';
import { minerIdOf, seedHistory } from './history.js';
import type { Target } from './target.js';

export const HOSTILE = '<img src=x onerror=alert(1)>';
const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
/** axeos, axeos (hostile), axeos, nerdqaxe, cgminer, avalon: every driver the fleet has. */
const NAMES = ['alpha', HOSTILE, 'charlie', 'nerd', 'antminer', 'avalon'];
/** The device whose faults open a breaker; not the one the other tests look at. */
const FLAKY = 2;

/** The API token the app under test is started with. */
export const TOKEN = 'e2e-token-0123456789abcdef';

/** A config-file schedule (pause everything at 22:00 in Berlin), for the tests of the schedules panel. */
export const NIGHT_SCHEDULE = {
  name: 'night',
  at: '22:00',
  timezone: 'Europe/Berlin',
  action: 'pause',
  target: { all: true },
} as const;

/** `extra` adds to the config (schedules, for example). */
export async function startRealTarget(extra: Partial<SolowatchConfig> = {}): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), 'solowatch-e2e-'));
  const fleet = await startFleet({
    count: NAMES.length,
    kind: 'mixed',
    names: NAMES,
    seed: 7,
    restartDelayMs: 500,
  });
  const devices = fleet.devices;
  await seedHistory(dataDir, DATABASE_FILE, devices, 6);
  const handle = await startSolowatch(
    {
      ...DEFAULT_CONFIG,
      port: 0,
      dataDir,
      token: TOKEN,
      logLevel: 'silent',
      pollIntervalMs: 1000,
      ...extra,
    },
    { retryManager: new RetryManager(), webRoot: WEB_ROOT },
  );
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${handle.url}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return (await response.json()) as T;
  };
  // Ready when every miner has reported once.
  await waitFor(
    'every miner to report',
    async () => {
      const { miners } = await api<{ miners: MinerView[] }>('/api/miners');
      return miners.length === devices.length && miners.every((m) => m.lastSample !== null) ? true : null;
    },
    30_000,
    200,
  );

  return {
    url: `${handle.url}/`,
    hostileText: HOSTILE,
    hostileMinerId: async () => minerIdOf(1),
    anyMinerId: async () => minerIdOf(0),
    async openBreaker() {
      const device = devices[FLAKY]!;
      const minerId = minerIdOf(FLAKY);
      device.setFaults({ rates: { refuse: 1 } });
      try {
        return await waitFor(
          'a breaker of the failing miner to open',
          async () => {
            const stats = await api<Record<string, { name: string; state: string }>>('/api/resilience');
            const open = Object.values(stats).find(
              (b) => b.state === 'open' && (b.name.includes(minerId) || b.name.includes(`:${device.port}`)),
            );
            return open?.name ?? null;
          },
          45_000,
          200,
        );
      } finally {
        // Healthy again, so that after a reset the breaker stays closed.
        device.setFaults(null);
      }
    },
    async close() {
      await handle.close();
      await fleet.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
