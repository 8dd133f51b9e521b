/** Fleet actions end to end: the real app over HTTP against simulated miners. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/Config.js';
import { type SolowatchHandle, startSolowatch } from '../../src/main.js';
import { RetryManager } from '../../src/resilience/index.js';
import { type Fleet, startFleet } from '../../src/simulator/index.js';

const TOKEN = 'actions-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

let handle: SolowatchHandle | undefined;
let fleet: Fleet | undefined;
afterEach(async () => {
  await handle?.close();
  await fleet?.close();
  handle = undefined;
  fleet = undefined;
});

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('fleet actions over HTTP', () => {
  it('restarts three simulated miners, a canary then a batch, each confirmed by its uptime', async () => {
    fleet = await startFleet({ count: 3, kind: 'axeos', seed: 7, restartDelayMs: 200 });
    handle = await startSolowatch(
      {
        ...DEFAULT_CONFIG,
        port: 0,
        dataDir: mkdtempSync(join(tmpdir(), 'solowatch-actions-')),
        pollIntervalMs: 1000,
        token: TOKEN,
        miners: fleet.devices.map((d) => ({ host: d.host, port: d.port, kind: 'axeos' as const })),
      },
      { retryManager: new RetryManager(), webRoot: null, tuneHeap: false },
    );
    const url = handle.url;
    await waitFor('a first sample from every miner', async () => {
      const { miners } = (await (await fetch(`${url}/api/miners`)).json()) as {
        miners: { lastSample: unknown }[];
      };
      return miners.length === 3 && miners.every((m) => m.lastSample !== null) ? true : null;
    });
    const boots = fleet.devices.map((d) => d.model.bootCount);

    const posted = await fetch(`${url}/api/actions`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({
        action: 'restart',
        target: { all: true },
        rollout: { canary: 1, batchSize: 2 },
      }),
    });
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };

    const done = await waitFor('the action to finish', async () => {
      const view = (await (await fetch(`${url}/api/actions/${id}`)).json()) as {
        state: string;
        counts: Record<string, number>;
        miners: { batch: number; state: string; error: string | null }[];
      };
      return view.state === 'running' ? null : view;
    });
    expect(done.state, JSON.stringify(done)).toBe('completed');
    expect(done.counts.verified).toBe(3);
    expect(done.miners.map((m) => m.batch)).toEqual([0, 1, 1]);
    // Every device really rebooted.
    expect(fleet.devices.map((d) => d.model.bootCount)).toEqual(boots.map((n) => n + 1));

    const events = (await (
      await fetch(
        `${url}/api/miners/${(await (await fetch(`${url}/api/miners`)).json()).miners[0].id}/events`,
      )
    ).json()) as { events: { type: string }[] };
    expect(events.events.map((e) => e.type)).toContain('restart_confirmed');
  }, 30_000);
});
