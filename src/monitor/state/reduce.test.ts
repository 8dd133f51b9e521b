import { describe, expect, it } from 'vitest';
import { makeSample } from '../testing/FakeDriver.js';
import { DEFAULT_THRESHOLDS, resolveThresholds, type StatusThresholds } from '../thresholds.js';
import { initialMinerState, type MinerInput, type MinerState, type Transition } from './MinerState.js';
import { formatDifficulty } from './milestones.js';
import { reduce } from './reduce.js';
import { DEFAULT_POW, DEFAULT_WATCHDOG, type ReducerSettings } from './settings.js';

const SETTINGS: ReducerSettings = {
  thresholds: DEFAULT_THRESHOLDS,
  pow: DEFAULT_POW,
  watchdog: DEFAULT_WATCHDOG,
  restartConfirmMs: 120_000,
};

const ok = (overrides: Parameters<typeof makeSample>[0] = {}): MinerInput => ({
  kind: 'sample',
  sample: makeSample(overrides),
});
const fail: MinerInput = { kind: 'poll_failed', message: 'connect ECONNREFUSED' };

/** A restart sent long ago whose confirmation is still awaited. */
function restarting(state: MinerState = initialMinerState('m1')): MinerState {
  return {
    ...state,
    restartWatch: { requestedAt: 0, deadline: Number.POSITIVE_INFINITY, uptimeBeforeS: null, by: 'user' },
  };
}

/** Runs inputs in order, 10 s apart, returning the final state and every event type. */
function run(
  inputs: MinerInput[],
  start: MinerState = initialMinerState('m1'),
  extra: { thresholds?: StatusThresholds; settings?: Partial<ReducerSettings> } = {},
) {
  const settings: ReducerSettings = {
    ...SETTINGS,
    ...(extra.thresholds === undefined ? {} : { thresholds: extra.thresholds }),
    ...(extra.settings ?? {}),
  };
  let state = start;
  const events: string[] = [];
  let now = 1_000_000;
  let last: Transition | undefined;
  for (const input of inputs) {
    now += 10_000;
    last = reduce(state, input, { now, settings });
    state = last.state;
    events.push(...last.events.map((event) => event.type));
  }
  return { state, events, last };
}

describe('reduce: samples and failed polls', () => {
  it('a healthy sample makes a miner online with no events', () => {
    const { state, events, last } = run([ok()]);
    expect(state.status).toBe('online');
    expect(events).toEqual([]);
    expect(last?.conditions).toEqual({
      offline: false,
      overheating: false,
      hashrate_low: false,
      reject_rate_high: false,
    });
  });

  it('goes offline only after the configured number of failures, then comes back', () => {
    const a = run([ok(), fail, fail]);
    expect(a.state.status).toBe('online');
    expect(a.events).toEqual([]);
    const b = run([ok({ uptimeS: 100 }), fail, fail, fail, ok({ uptimeS: 140 })]);
    expect(b.events).toEqual(['went_offline', 'came_back']);
    expect(b.state.status).toBe('online');
    expect(b.state.consecutiveFailures).toBe(0);
  });

  it('reports the breaker as its own status and as offline for alerts', () => {
    const r = run([ok(), { kind: 'breaker_refused', retryAfterMs: 30_000 }]);
    expect(r.state.status).toBe('breaker_open');
    expect(r.events).toEqual(['went_offline']);
    expect(r.last?.conditions).toEqual({ offline: true });
  });

  it('a miner that never answered goes offline too', () => {
    const r = run([fail, fail, fail]);
    expect(r.state.status).toBe('offline');
    expect(r.events).toEqual(['went_offline']);
  });

  it('detects an unexpected reboot from a falling uptime, with the reset reason', () => {
    const r = run([ok({ uptimeS: 5000 }), ok({ uptimeS: 12, resetReason: 'Brownout' })]);
    expect(r.events).toEqual(['rebooted']);
    expect(r.last?.events[0]?.message).toContain('Brownout');
  });

  it('detects a reboot hidden by a long gap (uptime short of what it should be)', () => {
    const first = reduce(initialMinerState('m1'), ok({ uptimeS: 100 }), { now: 0, settings: SETTINGS });
    // An hour later the uptime is 2000 s: it rebooted while we were not looking.
    const later = reduce(first.state, ok({ uptimeS: 2000 }), { now: 3_600_000, settings: SETTINGS });
    expect(later.events.map((e) => e.type)).toEqual(['rebooted']);
    const fine = reduce(first.state, ok({ uptimeS: 3700 }), { now: 3_600_000, settings: SETTINGS });
    expect(fine.events).toEqual([]);
  });

  it('a reboot during a restart we sent is not "unexpected": it confirms the restart', () => {
    const r = run([ok({ uptimeS: 5000 }), ok({ uptimeS: 3 })], restarting());
    expect(r.events).toEqual(['restart_confirmed']);
    expect(r.state.status).toBe('online');
    expect(r.state.restartWatch).toBeNull();
  });

  it('failures while restarting do not make the miner offline', () => {
    const r = run([ok(), fail, fail, fail, fail], restarting());
    expect(r.state.status).toBe('restarting');
    expect(r.events).toEqual([]);
  });

  it('overheating by chip or VR temperature against the configured limits, cleared with hysteresis', () => {
    // A model the limits table does not know: the configured 70 °C chip / 90 °C VR apply.
    const unknown = { kind: 'cgminer', deviceModel: 'Unknown box' } as const;
    const chip = run([ok(unknown), ok({ ...unknown, maxChipTemperatureC: 72 })]);
    expect(chip.events).toEqual(['overheating']);
    expect(chip.state.status).toBe('degraded');
    const vr = run([ok(unknown), ok({ ...unknown, vrTemperatureC: 95 })]);
    expect(vr.events).toEqual(['overheating']);
    // 68 °C is below 70 but within the 3 °C hysteresis: still hot.
    const hyst = run([
      ok({ ...unknown, maxChipTemperatureC: 72 }),
      ok({ ...unknown, maxChipTemperatureC: 68 }),
      ok({ ...unknown, maxChipTemperatureC: 66 }),
    ]);
    expect(hyst.events).toEqual(['overheating', 'overheating_cleared']);
    expect(hyst.state.status).toBe('online');
  });

  it('judges each device by its own limit, then its model, never one global 70 °C', () => {
    // A Bitaxe Gamma at 72 °C runs as designed: its firmware throttles at 75.
    const gamma = run([
      ok({ kind: 'axeos', deviceModel: 'Gamma', maxChipTemperatureC: 72, vrTemperatureC: 80 }),
    ]);
    expect(gamma.events).toEqual([]);
    expect(gamma.state.status).toBe('online');
    // An Avalon at its 90 °C target is fine; one whose device states 85 °C is hot at 86.
    const avalon = { kind: 'cgminer', deviceModel: 'Avalon Nano3s', vrTemperatureC: null } as const;
    expect(run([ok({ ...avalon, maxChipTemperatureC: 90 })]).events).toEqual([]);
    const stated = run([ok({ ...avalon, maxChipTemperatureC: 86, chipTempLimitC: 85 })]);
    expect(stated.events).toEqual(['overheating']);
    expect(stated.last?.events[0]?.message).toBe(
      'Miner is overheating: chip 86.0 °C (limit 85 °C, set on the device)',
    );
  });

  it('names the hot sensor and never prints a VR the device does not have', () => {
    const hot = run([
      ok({ kind: 'axeos', deviceModel: 'Max', maxChipTemperatureC: 60, vrTemperatureC: 106 }),
    ]);
    expect(hot.last?.events[0]?.message).toBe(
      "Miner is overheating: VR 106.0 °C (limit 105 °C, the model's default)",
    );
    expect(hot.last?.events[0]?.data).toMatchObject({ chipC: 60, vrC: 106, hot: ['vr'] });
    const noVr = run([
      ok({ kind: 'axeos', deviceModel: 'Max', maxChipTemperatureC: 76, vrTemperatureC: null }),
      ok({ kind: 'axeos', deviceModel: 'Max', maxChipTemperatureC: 60, vrTemperatureC: null }),
    ]);
    expect(noVr.events).toEqual(['overheating', 'overheating_cleared']);
    expect(noVr.last?.events[0]?.message).toBe('Temperatures are back to normal: chip 60.0 °C');
    expect(noVr.last?.events[0]?.message).not.toContain('?');
  });

  it('hashrate below the expected share only counts after it lasted a while', () => {
    const t = resolveThresholds({ hashrateLowForMs: 30_000 });
    const low = Array.from({ length: 5 }, (_, k) => ok({ hashrateGhs: 500, uptimeS: 4000 + k * 10 }));
    const r = run(
      [ok({ uptimeS: 3990 }), ...low, ok({ hashrateGhs: 990, uptimeS: 4100 })],
      initialMinerState('m1'),
      { thresholds: t },
    );
    expect(r.events).toEqual(['hashrate_low', 'hashrate_recovered']);
    const brief = run(
      [ok(), ok({ hashrateGhs: 500, uptimeS: 3610 }), ok({ uptimeS: 3620 })],
      initialMinerState('m1'),
      { thresholds: t },
    );
    expect(brief.events).toEqual([]);
  });

  it('ignores low hashrate while the device warms up after boot', () => {
    const t = resolveThresholds({ hashrateLowForMs: 0 });
    const r = run(
      [ok({ hashrateGhs: 100, uptimeS: 60 }), ok({ hashrateGhs: 100, uptimeS: 70 })],
      initialMinerState('m1'),
      { thresholds: t },
    );
    expect(r.events).toEqual([]);
  });

  it('reject rate high once enough shares are in, and back to normal', () => {
    const r = run([
      ok({ sharesAccepted: 50, sharesRejected: 20 }),
      ok({ sharesAccepted: 900, sharesRejected: 100 }),
      ok({ sharesAccepted: 3000, sharesRejected: 101 }),
    ]);
    expect(r.events).toEqual(['reject_rate_high', 'reject_rate_normal']);
  });

  it('new session and all-time best difficulty; the all-time best survives a reboot', () => {
    const start = initialMinerState('m1', 2e9);
    const r = run(
      [
        ok({ bestDifficulty: 1e9, sessionBestDifficulty: 1e8, uptimeS: 100 }),
        ok({ bestDifficulty: 1e9, sessionBestDifficulty: 5e8, uptimeS: 110 }),
        ok({ bestDifficulty: 3e9, sessionBestDifficulty: 3e9, uptimeS: 120 }),
      ],
      start,
    );
    expect(r.events).toEqual([
      'best_difficulty_session',
      'best_difficulty_session',
      'best_difficulty_all_time',
    ]);
    expect(r.state.allTimeBest).toBe(3e9);
    // The device forgets its best on reboot; ours does not go down.
    const after = run([ok({ bestDifficulty: 1e6, sessionBestDifficulty: 1e6, uptimeS: 5 })], r.state);
    expect(after.state.allTimeBest).toBe(3e9);
    expect(after.events).toEqual(['rebooted']);
  });

  it('the first reading sets the record silently', () => {
    const r = run([ok({ bestDifficulty: 5e9 })]);
    expect(r.events).toEqual([]);
    expect(r.state.allTimeBest).toBe(5e9);
  });

  it('block found from the block counter, or from a share beating the network difficulty', () => {
    const counted = run([ok({ blocksFound: 0 }), ok({ blocksFound: 1, uptimeS: 3610 })]);
    expect(counted.events).toEqual(['block_found']);
    const share = run([
      ok({ sessionBestDifficulty: 1e9, networkDifficulty: 1e14 }),
      ok({ sessionBestDifficulty: 2e14, bestDifficulty: 2e14, networkDifficulty: 1e14, uptimeS: 3610 }),
    ]);
    expect(share.events).toContain('block_found');
  });

  it('warns when the pool URL or the pool user changes (hijack)', () => {
    const url = run([ok(), ok({ poolUrl: 'stratum+tcp://evil.example:3333' })]);
    expect(url.events).toEqual(['pool_changed']);
    expect(url.last?.events[0]?.severity).toBe('critical');
    const user = run([ok(), ok({ poolUser: 'bc1qattacker' })]);
    expect(user.events).toEqual(['pool_changed']);
    expect(user.last?.events[0]?.message).toContain('bc1qattacker');
  });

  it('formats difficulties the way miners do', () => {
    expect(formatDifficulty(999)).toBe('999');
    expect(formatDifficulty(2_560_000_000)).toBe('2.56G');
  });

  it('rejects unknown or bad thresholds by name', () => {
    expect(() => resolveThresholds({ chipTempMaxC: -1 })).toThrow(/chipTempMaxC/);
    expect(() => resolveThresholds({ nope: 1 } as never)).toThrow(/nope/);
  });
});
