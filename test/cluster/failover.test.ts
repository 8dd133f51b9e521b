/**
 * Two and three real instances on one PostgreSQL schema share a simulated fleet by leases: the
 * fleet splits evenly, an instance joining takes its share without a missed or doubled poll,
 * and one killed with SIGKILL has its miners polled again by the others within twice the lease.
 * The figures (takeover time, polls missed, doubled polls, duplicate rows) are printed for
 * docs/RELIABILITY.md.
 */
import { describe, expect, it } from 'vitest';
import {
  type Farm,
  farmPerTest,
  leaseCounts,
  leasesBalanced,
  pollQuality,
  sampleTimes,
  waitFor,
} from './instances.js';

const MINERS = 12;
const INTERVAL_MS = 1000;
const LEASE_MS = 2000;

const useFarm = farmPerTest();

/** Waits until every miner has a sample after `after`. */
async function allPolledAfter(f: Farm, after: number, timeoutMs = 30_000): Promise<Map<string, number>> {
  let firsts = new Map<string, number>();
  await waitFor(
    async () => {
      const times = await sampleTimes(f);
      firsts = new Map();
      for (const [id, ts] of times) {
        const first = ts.find((t) => t > after);
        if (first !== undefined) firsts.set(id, first);
      }
      return firsts.size === f.minerIds.length;
    },
    timeoutMs,
    () => `not every miner was polled after ${new Date(after).toISOString()}`,
  );
  return firsts;
}

async function killAndMeasure(f: Farm, victim: string, survivors: readonly string[]) {
  const owned = await f.query<{ miner_id: string }>('SELECT miner_id FROM miner_leases WHERE owner = $1', [
    victim,
  ]);
  const instance = f.instances.find((i) => i.name === victim);
  const killedAt = Date.now();
  instance?.child.kill('SIGKILL');
  await instance?.exited;
  await leasesBalanced(f, survivors);
  const firsts = await allPolledAfter(f, killedAt);
  const takeovers = owned.map((r) => (firsts.get(r.miner_id) as number) - killedAt);
  // Let a few more polls land, then look at the whole failover window.
  await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
  const quality = await pollQuality(f, killedAt - 2 * INTERVAL_MS, Date.now() - INTERVAL_MS);
  return { takeoverMs: Math.max(...takeovers), moved: owned.length, quality };
}

describe('several instances sharing one fleet', { timeout: 240_000 }, () => {
  it('two instances: an even split, a gapless join, and a SIGKILLed one taken over within 2x the lease', async (ctx) => {
    const farm = await useFarm(ctx, { miners: MINERS, intervalMs: INTERVAL_MS, leaseMs: LEASE_MS });
    await farm.start('a');
    await leasesBalanced(farm, ['a']);
    const settled = Date.now();
    await allPolledAfter(farm, settled);
    const joinedAt = Date.now();
    await farm.start('b');
    await leasesBalanced(farm, ['a', 'b']);
    await allPolledAfter(farm, Date.now());
    await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));
    const join = await pollQuality(farm, joinedAt, Date.now() - INTERVAL_MS);
    if (process.env.CLUSTER_DEBUG) console.log(farm.instances.map((i) => i.output).join('\n'));
    expect(join).toEqual({ missed: 0, doubled: 0, duplicates: 0 });

    const failover = await killAndMeasure(farm, 'a', ['b']);
    console.log(
      `cluster figures (2 instances, ${MINERS} miners, interval ${INTERVAL_MS} ms, lease ${LEASE_MS} ms): join ${JSON.stringify(join)}; SIGKILL of a: ${failover.moved} miners taken over in ${failover.takeoverMs} ms (limit ${2 * LEASE_MS}), ${JSON.stringify(failover.quality)}`,
    );
    expect(failover.moved).toBe(MINERS / 2);
    expect(failover.takeoverMs).toBeLessThan(2 * LEASE_MS);
    expect(failover.quality.doubled).toBe(0);
    expect(failover.quality.duplicates).toBe(0);
    // Only the dead instance's miners miss polls, and only while its leases run out.
    expect(failover.quality.missed).toBeLessThanOrEqual(
      (MINERS / 2) * Math.ceil((2 * LEASE_MS) / INTERVAL_MS),
    );
  });

  it('three instances: 4/4/4, one SIGKILLed, the two left split its miners with no sample twice', async (ctx) => {
    const farm = await useFarm(ctx, { miners: MINERS, intervalMs: INTERVAL_MS, leaseMs: LEASE_MS });
    await farm.start('a');
    await farm.start('b');
    const joinedAt = Date.now();
    await farm.start('c');
    await leasesBalanced(farm, ['a', 'b', 'c']);
    await allPolledAfter(farm, Date.now());
    await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));
    const join = await pollQuality(farm, joinedAt, Date.now() - INTERVAL_MS);
    expect(join).toEqual({ missed: 0, doubled: 0, duplicates: 0 });

    const failover = await killAndMeasure(farm, 'b', ['a', 'c']);
    console.log(
      `cluster figures (3 instances, ${MINERS} miners, interval ${INTERVAL_MS} ms, lease ${LEASE_MS} ms): join ${JSON.stringify(join)}; SIGKILL of b: ${failover.moved} miners taken over in ${failover.takeoverMs} ms (limit ${2 * LEASE_MS}), ${JSON.stringify(failover.quality)}`,
    );
    expect(failover.moved).toBe(MINERS / 3);
    expect(failover.takeoverMs).toBeLessThan(2 * LEASE_MS);
    expect(failover.quality.doubled).toBe(0);
    expect(failover.quality.duplicates).toBe(0);
    expect(await leaseCounts(farm)).toEqual({ a: MINERS / 2, c: MINERS / 2 });
  });
});
