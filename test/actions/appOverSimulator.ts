/**
 * The real app (`startSolowatch`, real SQLite file, real HTTP on port 0) watching simulated AxeOS
 * miners, as the tests in test/actions drive it over HTTP. Written once here; whatever a test
 * starts is closed after it.
 *
 * ```ts
 * const startApp = appOverSimulatorPerTest();
 * it('...', async () => {
 *   const app = await startApp({ fleet: { count: 3, seed: 7 } });
 *   const miners = await untilEveryMinerReported(app);
 *   await fetch(`${app.url}/api/actions`, { method: 'POST', headers: AUTH, body: '...' });
 * });
 * ```
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { DEFAULT_CONFIG, type SolowatchConfig } from '../../src/config/Config.js';
import { type SolowatchHandle, startSolowatch } from '../../src/main.js';
import { RetryManager } from '../../src/resilience/index.js';
import { type Fleet, type FleetOptions, startFleet } from '../../src/simulator/index.js';
import { waitFor } from '../waitFor.js';

const TOKEN = 'actions-token-0123456789abcdef';
/** Headers of a write request the app accepts. */
export const AUTH = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

/** A miner as GET /api/miners lists it: the fields these tests read. */
export interface ListedMiner {
  id: string;
  host: string;
  port: number;
  tags: string[];
  lastSample: unknown;
}

export interface AppOverSimulator {
  readonly fleet: Fleet;
  /** The running app's base URL, without a trailing slash; a new one after `restart()`. */
  readonly url: string;
  /** Stops the app and starts it again on the same data directory, watching the same miners. */
  restart(): Promise<void>;
}

export interface StartOptions {
  /** The simulated fleet; always AxeOS. */
  readonly fleet: Omit<FleetOptions, 'kind'>;
  /** Added to the app's config (a desired-state rule, for example). */
  readonly config?: Partial<SolowatchConfig>;
}

/** Call at the top level of a test file; the function it gives starts an app for one test. */
export function appOverSimulatorPerTest(): (options: StartOptions) => Promise<AppOverSimulator> {
  let handle: SolowatchHandle | undefined;
  let fleet: Fleet | undefined;
  afterEach(async () => {
    await handle?.close();
    await fleet?.close();
    handle = undefined;
    fleet = undefined;
  });

  return async (options) => {
    const devices = await startFleet({ ...options.fleet, kind: 'axeos' });
    fleet = devices;
    const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-actions-'));
    const start = () =>
      startSolowatch(
        {
          ...DEFAULT_CONFIG,
          port: 0,
          dataDir,
          pollIntervalMs: 1000,
          token: TOKEN,
          miners: devices.devices.map((d) => ({ host: d.host, port: d.port, kind: 'axeos' as const })),
          ...options.config,
        },
        { retryManager: new RetryManager(), webRoot: null, tuneHeap: false },
      );
    handle = await start();
    return {
      fleet: devices,
      get url() {
        if (handle === undefined) throw new Error('the app is not running');
        return handle.url;
      },
      async restart() {
        await handle?.close();
        handle = undefined;
        handle = await start();
      },
    };
  };
}

export async function listMiners(url: string): Promise<ListedMiner[]> {
  return ((await (await fetch(`${url}/api/miners`)).json()) as { miners: ListedMiner[] }).miners;
}

/** The miners once every simulated device is listed and has reported a sample. */
export function untilEveryMinerReported(app: AppOverSimulator): Promise<ListedMiner[]> {
  return waitFor('a first sample from every miner', async () => {
    const all = await listMiners(app.url);
    return all.length === app.fleet.devices.length && all.every((m) => m.lastSample !== null) ? all : null;
  });
}
