/**
 * Every instance's API shows the whole fleet live: a miner polled by `a` shows, on `b`'s API, a
 * fresh sample and status from `a` (said by `polledBy`), and going offline on `a` shows offline
 * on `b`. Two real instances on one PostgreSQL schema (test/cluster/instances.ts).
 */
import { describe, expect, it } from 'vitest';
import { farmPerTest, leasesBalanced, waitFor } from './instances.js';

const MINERS = 4;
const INTERVAL_MS = 1000;
const LEASE_MS = 2000;

interface ListedMiner {
  id: string;
  status: string;
  polledBy?: string | null;
  lastSample: { timestamp: number; hashrateGhs: number | null } | null;
}

const useFarm = farmPerTest();

async function miners(url: string): Promise<Map<string, ListedMiner>> {
  const res = await fetch(`${url}/api/miners`);
  expect(res.status).toBe(200);
  const { miners: list } = (await res.json()) as { miners: ListedMiner[] };
  return new Map(list.map((m) => [m.id, m]));
}

describe('the whole fleet live on every instance', { timeout: 180_000 }, () => {
  it("b's API shows a's miners fresh, polled by a, and offline when a sees them go", async (ctx) => {
    const farm = await useFarm(ctx, { miners: MINERS, intervalMs: INTERVAL_MS, leaseMs: LEASE_MS });
    const a = await farm.start('a');
    const b = await farm.start('b');
    const f = farm;
    await leasesBalanced(f, ['a', 'b']);
    const [owned] = await f.query<{ miner_id: string }>(
      "SELECT miner_id FROM miner_leases WHERE owner = 'a' ORDER BY miner_id LIMIT 1",
    );
    const id = owned?.miner_id as string;

    // Fresh on b: polled by a, online, with a sample from the last few intervals; then a newer one.
    let first = 0;
    await waitFor(
      async () => {
        const seen = (await miners(b.url)).get(id);
        const sample = seen?.lastSample;
        if (seen?.polledBy !== 'a' || seen.status !== 'online' || sample == null) return false;
        if (Date.now() - sample.timestamp > 3 * INTERVAL_MS || !(Number(sample.hashrateGhs) > 0))
          return false;
        first = sample.timestamp;
        return true;
      },
      20_000,
      () => `b never showed ${id} fresh from a`,
    );
    await waitFor(
      async () => ((await miners(b.url)).get(id)?.lastSample?.timestamp ?? 0) > first,
      5 * INTERVAL_MS,
      () => `b's view of ${id} froze at ${first}`,
    );
    // Once handovers are done, both APIs agree on who polls each miner, two each, and on its status.
    await waitFor(
      async () => {
        const fromA = await miners(a.url);
        const fromB = await miners(b.url);
        const by = [...fromA.values()].map((m) => m.polledBy);
        return (
          by.filter((x) => x === 'a').length === MINERS / 2 &&
          by.filter((x) => x === 'b').length === MINERS / 2 &&
          [...fromA.values()].every(
            (m) => fromB.get(m.id)?.polledBy === m.polledBy && fromB.get(m.id)?.status === m.status,
          )
        );
      },
      10_000,
      () => 'the two APIs never agreed on who polls each miner',
    );

    // The device stops answering: a marks it offline, and b shows it.
    const index = f.minerIds.indexOf(id);
    f.devices.devices[index]?.setFaults({ offline: true });
    await waitFor(
      async () => (await miners(a.url)).get(id)?.status === 'offline',
      30_000,
      () => `a never marked ${id} offline`,
    );
    const offlineOnA = Date.now();
    await waitFor(
      async () => (await miners(b.url)).get(id)?.status === 'offline',
      10_000,
      () => `b never showed ${id} offline`,
    );
    console.log(`b showed ${id} offline ${Date.now() - offlineOnA} ms after a did`);
    // The event of it going offline is a's alone: recorded once, not again by b.
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    const events = await f.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE miner_id = $1 AND type = 'went_offline'",
      [id],
    );
    expect(events[0]?.n).toBe(1);
  });
});
