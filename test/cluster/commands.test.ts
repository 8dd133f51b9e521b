/**
 * Commands never run twice across instances: a restart asked of the instance that does not poll
 * the miner goes to the one that does, reaches the device once, is recorded once and is confirmed
 * by the poller; a fleet action started on one instance over miners polled by both restarts each
 * device exactly once, and each restart is confirmed. Two real instances on one PostgreSQL schema.
 */
import { describe, expect, it } from 'vitest';
import { type Farm, farmPerTest, leasesBalanced, waitFor } from './instances.js';

const MINERS = 4;
const INTERVAL_MS = 1000;
const LEASE_MS = 2000;
const TOKEN = 'farm-token-123456';

const useFarm = farmPerTest();

async function post(url: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

async function get<T>(url: string, path: string): Promise<T> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await res.json()) as T;
}

async function eventCounts(f: Farm, minerId: string): Promise<Record<string, number>> {
  const rows = await f.query<{ type: string; n: number }>(
    "SELECT type, count(*)::int AS n FROM events WHERE miner_id = $1 AND type IN ('restart_requested', 'restart_confirmed', 'restart_unconfirmed', 'rebooted') GROUP BY type",
    [minerId],
  );
  return Object.fromEntries(rows.map((r) => [r.type, r.n]));
}

async function twoInstances(f: Farm) {
  const a = await f.start('a');
  const b = await f.start('b');
  await leasesBalanced(f, ['a', 'b']);
  // Both APIs agree on who polls what (handovers done, live views read).
  await waitFor(
    async () => {
      const [fromA, fromB] = await Promise.all(
        [a.url, b.url].map((u) =>
          get<{ miners: { id: string; polledBy?: string | null }[] }>(u, '/api/miners'),
        ),
      );
      const by = (l: typeof fromA) => l?.miners.map((m) => `${m.id}=${m.polledBy}`).join() ?? '';
      return by(fromA) === by(fromB) && !by(fromA).includes('null');
    },
    15_000,
    () => 'the two APIs never agreed on who polls each miner',
  );
  return { a, b };
}

describe('commands across instances', { timeout: 240_000 }, () => {
  it('a restart asked of the instance that does not poll the miner reaches the device once, recorded and confirmed once', async (ctx) => {
    const farm = await useFarm(ctx, { miners: MINERS, intervalMs: INTERVAL_MS, leaseMs: LEASE_MS });
    const f = farm;
    const { a, b } = await twoInstances(f);
    const [row] = await f.query<{ miner_id: string }>(
      "SELECT miner_id FROM miner_leases WHERE owner = 'a' ORDER BY miner_id LIMIT 1",
    );
    const id = row?.miner_id as string;
    const device = f.devices.devices[f.minerIds.indexOf(id)];
    const boots = device?.model.bootCount ?? -1;

    const asked = await post(b.url, `/api/miners/${id}/restart`);
    expect(asked.status).toBe(202);
    expect(asked.json).toMatchObject({ minerId: id, state: 'restarting' });
    // Asked again at once, of either instance: the poller says one is under way.
    expect((await post(b.url, `/api/miners/${id}/restart`)).status).toBe(409);
    expect((await post(a.url, `/api/miners/${id}/restart`)).status).toBe(409);

    for (const url of [a.url, b.url]) {
      await waitFor(
        async () =>
          (await get<{ restart: { state: string } | null }>(url, `/api/miners/${id}`)).restart?.state ===
          'confirmed',
        30_000,
        () => `the restart of ${id} never showed confirmed at ${url}`,
      );
    }
    expect(device?.model.bootCount).toBe(boots + 1);
    await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));
    expect(await eventCounts(f, id)).toEqual({ restart_requested: 1, restart_confirmed: 1 });
  });

  it("a fleet action started on a over a's and b's miners restarts each device once and sees each confirmed", async (ctx) => {
    const farm = await useFarm(ctx, { miners: MINERS, intervalMs: INTERVAL_MS, leaseMs: LEASE_MS });
    const f = farm;
    const { a } = await twoInstances(f);
    const boots = f.devices.devices.map((d) => d.model.bootCount);
    const started = await post(a.url, '/api/actions', {
      action: 'restart',
      target: { all: true },
      rollout: { canary: 1, batchSize: 3, haltOnFailure: true },
    });
    expect(started.status).toBe(202);
    const actionId = (started.json as { id: string }).id;
    let view: { state: string; miners: { minerId: string; state: string; error: string | null }[] } | null =
      null;
    await waitFor(
      async () => {
        view = await get(a.url, `/api/actions/${actionId}`);
        return view?.state !== 'running';
      },
      90_000,
      () => `the action never finished: ${JSON.stringify(view)}`,
    );
    expect(view).toMatchObject({ state: 'completed' });
    const v = view as unknown as { miners: { state: string }[] };
    expect(v.miners.map((m) => m.state)).toEqual(Array(MINERS).fill('verified'));
    expect(f.devices.devices.map((d, i) => d.model.bootCount - (boots[i] as number))).toEqual(
      Array(MINERS).fill(1),
    );
    await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));
    for (const id of f.minerIds) {
      const counts = await eventCounts(f, id);
      expect(counts.rebooted, id).toBeUndefined();
      expect(counts.restart_confirmed, id).toBe(1);
    }
  });
});
