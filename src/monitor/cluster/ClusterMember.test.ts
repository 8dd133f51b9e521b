import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../resilience/testing.js';
import { timersFromClock } from '../timers.js';
import { ClusterMember } from './ClusterMember.js';
import type { LeaseTable } from './LeaseTable.js';

/** A lease table whose only news is one claimed lease with the given handover time. */
function claimingTable(clock: FakeClock, live: string[], handoverIn: number): LeaseTable {
  const answer = <T>(rows: T[]) => Promise.resolve({ now: clock.now(), rows });
  return {
    heartbeat: () => answer(live),
    dropOrphans: () => Promise.resolve(0),
    renew: () => answer([]),
    fleetSize: () => Promise.resolve(live.length),
    offer: () => answer([]),
    claim: () => answer([{ minerId: 'm1', offered: false, handoverAt: clock.now() + handoverIn }]),
    leave: () => Promise.resolve(),
  } as unknown as LeaseTable;
}

function member(clock: FakeClock, table: LeaseTable, gained: number[]): ClusterMember {
  return new ClusterMember({
    table,
    options: { instanceId: 'a', url: null, leaseMs: 2_000, tickMs: 666, liveMs: 666 },
    timers: timersFromClock(clock),
    syncMiners: () => Promise.resolve(),
    handoverLeadMs: () => 500,
    onGained: (_id, delayMs) => gained.push(delayMs),
  });
}

describe('ClusterMember', () => {
  it('polls a lease that ran out only half an interval after claiming it', async () => {
    // The dead owner's renewals may have lagged until the expiry, its last poll just before it:
    // polling at once would poll the miner twice side by side.
    const clock = new FakeClock(1_000_000);
    // Expired a moment ago: its handover time is in the past.
    const table = claimingTable(clock, ['a'], -1);
    const gained: number[] = [];
    const m = member(clock, table, gained);
    await m.tick();
    expect(gained).toEqual([500]);
    expect(m.owns('m1')).toBe(false);
    clock.set(1_000_000 + 499);
    expect(m.owns('m1')).toBe(false);
    clock.set(1_000_000 + 500);
    expect(m.owns('m1')).toBe(true);
  });

  it('starts a handed-over lease half an interval after the handover, as before', async () => {
    const clock = new FakeClock(1_000_000);
    const table = claimingTable(clock, ['a', 'b'], 800);
    const gained: number[] = [];
    const m = member(clock, table, gained);
    await m.tick();
    expect(gained).toEqual([1_300]);
  });
});
