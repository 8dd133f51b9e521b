import { describe, expect, it } from 'vitest';
import type { FleetSettings } from '../actions/settingsSchema.js';
import { type DesiredRuleConfig, DesiredState, type DriftReport } from './DesiredState.js';
import { driftOf } from './driftOf.js';

const pool = { url: 'stratum+tcp://solo.example:3333', user: 'bc1q.garage', password: 'x' };

describe('driftOf', () => {
  it('compares only what is desired and reported', () => {
    const desired: FleetSettings = {
      frequencyMhz: 525,
      fan: { mode: 'auto', targetTempC: 60 },
      pools: [pool],
    };
    expect(
      driftOf(desired, { frequencyMhz: 525, fan: { mode: 'auto', targetTempC: 60 }, pools: [pool] }),
    ).toEqual([]);
    expect(driftOf(desired, { frequencyMhz: null, fan: null, pools: null })).toEqual([]);
    expect(driftOf(desired, { frequencyMhz: 490, fan: { mode: 'manual', percent: 100 } })).toEqual([
      { field: 'frequencyMhz', wanted: 525, got: 490 },
      { field: 'fan', wanted: { mode: 'auto', targetTempC: 60 }, got: { mode: 'manual', percent: 100 } },
    ]);
    // The password never appears in a diff.
    const drift = driftOf(desired, { pools: [{ url: 'stratum+tcp://evil:3333', user: 'thief' }] });
    expect(drift).toEqual([
      {
        field: 'pools',
        wanted: [{ url: pool.url, user: pool.user }],
        got: [{ url: 'stratum+tcp://evil:3333', user: 'thief' }],
      },
    ]);
  });
});

function setup(rules: DesiredRuleConfig[]) {
  let now = 0;
  const reports: DriftReport[] = [];
  const reverts: [string, FleetSettings][] = [];
  const desired = new DesiredState({
    rules,
    tagsOf: (id) => (id === 'm1' ? ['garage'] : []),
    clock: { now: () => now },
    onDrift: (r) => reports.push(r),
    revert: async (id, settings) => reverts.push([id, settings]),
    revertCooldownMs: 1000,
  });
  return { desired, reports, reverts, tick: (ms: number) => (now += ms) };
}

describe('DesiredState', () => {
  it('raises settings_drift once per distinct difference; a pool is a security event', () => {
    const { desired, reports, reverts } = setup([
      { match: { tags: ['garage'] }, settings: { pools: [pool] } },
    ]);
    const stolen = { pools: [{ url: 'stratum+tcp://evil:3333', user: 'thief' }] };
    desired.observe('m1', stolen);
    desired.observe('m1', stolen);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ minerId: 'm1', security: true, enforce: 'alert' });
    // Alert only: nothing is written.
    expect(reverts).toEqual([]);
    // Back to normal, then drifting again, is told again.
    desired.observe('m1', { pools: [pool] });
    desired.observe('m1', stolen);
    expect(reports).toHaveLength(2);
    // A miner no rule matches is never judged.
    desired.observe('m2', stolen);
    expect(reports).toHaveLength(2);
  });

  it('with enforce: revert writes the drifted fields back, at most once per cooldown', () => {
    const { desired, reports, reverts, tick } = setup([
      { match: { tags: ['garage'] }, settings: { pools: [pool], frequencyMhz: 525 }, enforce: 'revert' },
    ]);
    desired.observe('m1', { frequencyMhz: 600, pools: [pool] });
    desired.observe('m1', { frequencyMhz: 600, pools: [pool] });
    expect(reverts).toEqual([['m1', { frequencyMhz: 525 }]]);
    expect(reports[0]).toMatchObject({ security: false, enforce: 'revert' });
    tick(1000);
    desired.observe('m1', { frequencyMhz: 600, pools: [pool] });
    expect(reverts).toHaveLength(2);
  });

  it('merges rules in order, later fields winning', () => {
    const { desired } = setup([
      { match: { tags: ['garage'] }, settings: { frequencyMhz: 500, coreVoltageMv: 1100 } },
      { match: { tags: ['garage', 'attic'] }, settings: { frequencyMhz: 525 }, enforce: 'revert' },
    ]);
    expect(desired.desiredFor('m1')).toEqual({
      settings: { frequencyMhz: 525, coreVoltageMv: 1100 },
      enforce: 'revert',
    });
    expect(desired.desiredFor('m2')).toBeNull();
  });
});
