/** startSolowatch with every real class: SQLite storage, drivers, monitor, server, simulated devices. */
import { mkdtempSync, statSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type SolowatchConfig } from '../../src/config/Config.js';
import { type SolowatchHandle, startSolowatch } from '../../src/main.js';
import { HEAP_TUNING_FLAGS, type MinerManager } from '../../src/monitor/index.js';
import { DEFAULT_MAX_CONCURRENT_POLLS } from '../../src/monitor/options.js';
import { RetryManager } from '../../src/resilience/index.js';
import { type Fleet, startFleet } from '../../src/simulator/index.js';
import { waitFor } from '../waitFor.js';
import { cli } from './harness.js';

const handles: SolowatchHandle[] = [];
const fleets: Fleet[] = [];
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
  for (const f of fleets.splice(0)) await f.close();
});

function config(dataDir: string, overrides: Partial<SolowatchConfig> = {}): SolowatchConfig {
  return { ...DEFAULT_CONFIG, port: 0, dataDir, pollIntervalMs: 1000, ...overrides };
}

async function start(c: SolowatchConfig): Promise<SolowatchHandle> {
  const handle = await startSolowatch(c, { retryManager: new RetryManager(), webRoot: null });
  handles.push(handle);
  return handle;
}

describe('startSolowatch', () => {
  it('caps polls in flight at the configured maxConcurrentPolls, 512 when not set', async () => {
    const capOf = async (maxConcurrentPolls: number | null): Promise<number> => {
      const handle = await start(
        config(mkdtempSync(join(tmpdir(), 'solowatch-main-')), { maxConcurrentPolls }),
      );
      return (handle.monitor as MinerManager).scheduler.maxConcurrent;
    };
    expect(await capOf(7)).toBe(7);
    expect(await capOf(null)).toBe(DEFAULT_MAX_CONCURRENT_POLLS);
    expect(DEFAULT_MAX_CONCURRENT_POLLS).toBe(512);
  });

  it('hands the watchdog and proof-of-work settings to the monitor, and names a bad one', async () => {
    const dir = () => mkdtempSync(join(tmpdir(), 'solowatch-main-'));
    const handle = await start(
      config(dir(), {
        watchdog: { enabled: true, maxRestartsPerHour: 1 },
        powHealth: { pValue: 1e-9 },
        quietHours: { from: '22:00', to: '07:00', timeZone: 'UTC' },
      }),
    );
    const { reducer } = (handle.monitor as MinerManager).settings;
    expect(reducer.watchdog).toEqual({ enabled: true, maxRestartsPerHour: 1, cooldownMs: 600_000 });
    expect(reducer.pow.pValue).toBe(1e-9);
    expect((await start(config(dir()))).monitor).toBeDefined();
    expect(
      ((handles.at(-1) as SolowatchHandle).monitor as MinerManager).settings.reducer.watchdog.enabled,
    ).toBe(false);
    await expect(start(config(dir(), { watchdog: { maxRestartsPerHour: 0 } }))).rejects.toThrow(
      /watchdog.*maxRestartsPerHour/,
    );
    await expect(start(config(dir(), { powHealth: { pvalue: 1 } as never }))).rejects.toThrow(
      /powHealth.*pvalue/,
    );
    await expect(start(config(dir(), { quietHours: { from: '9pm', to: '07:00' } }))).rejects.toThrow(
      /quietHours.*from/,
    );
  });

  it("applies the monitor's V8 settings unless told not to, and says which", async () => {
    const lines = async (tuneHeap: boolean | undefined): Promise<string[]> => {
      const logged: string[] = [];
      const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-main-'));
      const handle = await startSolowatch(config(dataDir), {
        retryManager: new RetryManager(),
        webRoot: null,
        log: (level, message) => logged.push(`${level} ${message}`),
        ...(tuneHeap === undefined ? {} : { tuneHeap }),
      });
      await handle.close();
      return logged.filter((line) => line.includes('V8 settings'));
    };
    expect(await lines(undefined)).toEqual([`debug V8 settings for polling: ${HEAP_TUNING_FLAGS.join(' ')}`]);
    expect(await lines(false)).toEqual([]);
  });

  it('serves /api/health on port 0 with a generated token, and shuts down cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-main-'));
    const handle = await start(config(dataDir));
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(handle.tokenGenerated).toBe(true);
    expect(statSync(join(dataDir, 'token')).mode & 0o777).toBe(0o600);
    const health = await (await fetch(`${handle.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: { ok: true } });
    await handle.close();
    await handle.close();
    await expect(fetch(`${handle.url}/api/health`)).rejects.toThrow();
  });

  it('polls simulated miners added over the API and keeps them across a restart', async () => {
    const fleet = await startFleet({ count: 2, kind: 'mixed', seed: 3 });
    fleets.push(fleet);
    const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-main-'));
    const first = await start(config(dataDir, { token: 'integration-token-0123456789' }));
    const auth = { authorization: 'Bearer integration-token-0123456789', 'content-type': 'application/json' };
    for (const device of fleet.devices) {
      const res = await fetch(`${first.url}/api/miners`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ host: device.host, port: device.port }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const polled = await waitFor(
      'samples from both miners',
      async () => {
        const { miners } = (await (await fetch(`${first.url}/api/miners`)).json()) as {
          miners: { lastSample: { hashrateGhs: number | null } | null }[];
        };
        return miners.every((m) => m.lastSample !== null) ? miners : null;
      },
      15_000,
    );
    expect(polled).toHaveLength(2);
    const metrics = await (await fetch(`${first.url}/metrics`)).text();
    expect(metrics).toMatch(/solowatch_miner_up\{miner="[^"]+"\} 1/);
    await first.close();

    const second = await start(config(dataDir, { token: 'integration-token-0123456789' }));
    const { miners } = (await (await fetch(`${second.url}/api/miners`)).json()) as { miners: unknown[] };
    expect(miners).toHaveLength(2);
  });
});

describe('serve on a port already in use', () => {
  it('fails with exit 1 and says what to do, leaving nothing running', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'solowatch-busy-'));
      const r = await cli(['serve', '--port', String(port), '--data-dir', dataDir, '--log-level', 'silent']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `error: port ${port} is already in use: pass --port <another> or stop what is using it\n`,
      );
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
