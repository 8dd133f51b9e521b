/**
 * Edits across instances: a rename, an interval, a disable and a removal made through one
 * instance's API show on the other's within a round, and the instance polling the miner puts
 * the new interval and enabled in force. Two real instances on one PostgreSQL schema.
 */
import { describe, expect, it } from 'vitest';
import { farmPerTest, leasesBalanced, sampleTimes, waitFor } from './instances.js';

const MINERS = 4;
const INTERVAL_MS = 1000;
const LEASE_MS = 2000;
const TOKEN = 'farm-token-123456';

const useFarm = farmPerTest();

interface Miner {
  name: string;
  intervalMs: number;
  enabled: boolean;
  status: string;
}

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: res.status === 204 ? null : await res.json() };
}

describe('edits across instances', { timeout: 180_000 }, () => {
  it('a rename, interval, disable and removal made on a show on b within a round, and b, the poller, applies them', async (ctx) => {
    const farm = await useFarm(ctx, { miners: MINERS, intervalMs: INTERVAL_MS, leaseMs: LEASE_MS });
    const f = farm;
    const a = await f.start('a');
    const b = await f.start('b');
    await leasesBalanced(f, ['a', 'b']);
    // Wait out the handovers so b polls its two for good.
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS));
    const polledByB = (
      await f.query<{ miner_id: string }>(
        "SELECT miner_id FROM miner_leases WHERE owner = 'b' ORDER BY miner_id",
      )
    ).map((r) => r.miner_id);
    const [x, y] = polledByB as [string, string];
    const [z] = f.minerIds.filter((id) => !polledByB.includes(id)) as [string];
    const onB = async (id: string) =>
      (await call('GET', `${b.url}/api/miners/${id}`)) as { status: number; json: Miner };
    const round = LEASE_MS / 3;

    // Rename and a slower interval, asked of a.
    const changedAt = Date.now();
    expect(
      (await call('PATCH', `${a.url}/api/miners/${x}`, { name: 'renamed', intervalMs: 2000 })).status,
    ).toBe(200);
    await waitFor(
      async () => {
        const m = (await onB(x)).json;
        return m.name === 'renamed' && m.intervalMs === 2000;
      },
      2 * round + 2000,
      () => `b never showed the rename and interval of ${x}`,
    );
    console.log(`rename and interval of ${x} seen on b ${Date.now() - changedAt} ms after a took them`);
    // b polls it at the new interval: the gaps after the change settle at 2 s.
    // Long enough for three or more 2 s polls after the change is in force, plus a flush (1 s).
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    const times = ((await sampleTimes(f)).get(x) ?? []).filter((t) => t > changedAt + 2 * round + 2000);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    for (const gap of gaps) expect(gap).toBeGreaterThan(1500);

    // Disabled on a: b shows it disabled and stops polling it.
    expect((await call('PATCH', `${a.url}/api/miners/${y}`, { enabled: false })).status).toBe(200);
    await waitFor(
      async () => {
        const m = (await onB(y)).json;
        return m.enabled === false && m.status === 'disabled';
      },
      2 * round + 2000,
      () => `b never showed ${y} disabled`,
    );
    const disabledSeen = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    const afterDisable = ((await sampleTimes(f)).get(y) ?? []).filter((t) => t > disabledSeen + 500);
    expect(afterDisable).toEqual([]);

    // Removed on a: gone from b's API, and nobody polls it.
    expect((await call('DELETE', `${a.url}/api/miners/${z}`)).status).toBe(204);
    await waitFor(
      async () => (await onB(z)).status === 404,
      2 * round + 2000,
      () => `b still shows ${z} after a removed it`,
    );
    const removedSeen = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    const afterRemove = ((await sampleTimes(f)).get(z) ?? []).filter((t) => t > removedSeen + 500);
    expect(afterRemove).toEqual([]);
  });
});
