/**
 * Every transition of the state machine that the sample-health tests (reduce.test.ts) do not
 * cover: commands and restart confirmation, proof-of-work health, the watchdog. Table-driven:
 * each row is a start state, an input, and what must come out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MinerSample } from '../../miners/MinerSample.js';
import { makeSample } from '../testing/FakeDriver.js';
import { DEFAULT_THRESHOLDS } from '../thresholds.js';
import type { MinerStatus } from '../types.js';
import { initialMinerState, type MinerInput, type MinerState } from './MinerState.js';
import { EMPTY_POW, judgePow, shareRate } from './powHealth.js';
import { reduce } from './reduce.js';
import { DEFAULT_POW, DEFAULT_WATCHDOG, type ReducerSettings } from './settings.js';

const SETTINGS: ReducerSettings = {
  thresholds: DEFAULT_THRESHOLDS,
  pow: DEFAULT_POW,
  watchdog: DEFAULT_WATCHDOG,
  restartConfirmMs: 120_000,
};
const WATCHING: ReducerSettings = {
  ...SETTINGS,
  watchdog: { enabled: true, maxRestartsPerHour: 2, cooldownMs: 600_000 },
};
const NOW = 10_000_000;
const base = initialMinerState('m1');
const seen = makeSample();
const online: MinerState = {
  ...base,
  status: 'online',
  lastSampleAt: NOW - 10_000,
  uptimeS: 3590,
  allTimeBest: seen.bestDifficulty,
  sessionBest: seen.sessionBestDifficulty,
  poolUrl: seen.poolUrl,
  poolUser: seen.poolUser,
};
const sample = (o: Partial<MinerSample> = {}): MinerInput => ({ kind: 'sample', sample: makeSample(o) });
const watch = (deadline: number, uptimeBeforeS: number | null = 3590) => ({
  requestedAt: NOW - 30_000,
  deadline,
  uptimeBeforeS,
  by: 'user' as const,
});

interface Row {
  readonly name: string;
  readonly from: MinerState;
  readonly input: MinerInput;
  readonly settings?: ReducerSettings;
  readonly status: MinerStatus;
  readonly events: readonly string[];
  readonly check?: (state: MinerState) => void;
  readonly effects?: number;
}

const ROWS: readonly Row[] = [
  {
    name: 'command_sent marks the command, counts the restart, keeps the status',
    from: online,
    input: { kind: 'command_sent', command: 'restart', by: 'user', why: null },
    status: 'online',
    events: [],
    check: (s) => {
      expect(s.command).toEqual({ kind: 'restart', by: 'user', why: null, actor: null });
      expect(s.restartsAt).toEqual([NOW]);
    },
  },
  {
    name: 'an accepted restart starts the watch: restarting, restart_requested',
    from: { ...online, command: { kind: 'restart', by: 'user', why: null, actor: null }, restartsAt: [NOW] },
    input: { kind: 'command_outcome', command: 'restart', ok: true, detail: 'restarting' },
    status: 'restarting',
    events: ['restart_requested'],
    check: (s) => {
      expect(s.command).toBeNull();
      expect(s.restartWatch).toEqual({
        requestedAt: NOW,
        deadline: NOW + 120_000,
        uptimeBeforeS: 3590,
        by: 'user',
      });
      expect(s.restart?.state).toBe('restarting');
      expect(s.restart?.minerId).toBe('m1');
    },
  },
  {
    name: "a user's failed restart is an event and does not count against the cooldown",
    from: {
      ...online,
      command: { kind: 'restart', by: 'user', why: null, actor: null },
      restartsAt: [NOW - 5_000_000, NOW],
    },
    input: { kind: 'command_outcome', command: 'restart', ok: false, detail: 'ECONNREFUSED' },
    status: 'online',
    events: ['restart_failed'],
    check: (s) => {
      expect(s.command).toBeNull();
      expect(s.restartsAt).toEqual([NOW - 5_000_000]);
    },
  },
  {
    name: "the watchdog's failed restart counts, so a miner that refuses is not asked forever",
    from: {
      ...online,
      command: { kind: 'restart', by: 'watchdog', why: 'not hashing', actor: null },
      restartsAt: [NOW],
    },
    input: { kind: 'command_outcome', command: 'restart', ok: false, detail: 'refused' },
    status: 'online',
    events: ['restart_failed'],
    check: (s) => expect(s.restartsAt).toEqual([NOW]),
  },
  {
    name: 'a sample with the uptime reset confirms the restart',
    from: { ...online, status: 'restarting', restartWatch: watch(NOW + 90_000) },
    input: sample({ uptimeS: 12 }),
    status: 'online',
    events: ['restart_confirmed'],
    check: (s) => {
      expect(s.restartWatch).toBeNull();
      expect(s.restart?.state).toBe('confirmed');
      expect(s.restart?.confirmedAt).toBe(NOW);
    },
  },
  {
    name: 'a sample before the uptime resets keeps waiting',
    from: { ...online, status: 'restarting', restartWatch: watch(NOW + 90_000) },
    input: sample({ uptimeS: 3620 }),
    status: 'restarting',
    events: [],
  },
  {
    name: 'past the deadline without a reset: unconfirmed, and the sample decides the status',
    from: { ...online, status: 'restarting', restartWatch: watch(NOW - 1) },
    input: sample({ uptimeS: 3620 }),
    status: 'online',
    events: ['restart_unconfirmed'],
    check: (s) => expect(s.restart?.state).toBe('unconfirmed'),
  },
  {
    name: 'failures while restarting are expected',
    from: { ...online, status: 'restarting', consecutiveFailures: 5, restartWatch: watch(NOW + 90_000) },
    input: { kind: 'poll_failed', message: 'ECONNREFUSED' },
    status: 'restarting',
    events: [],
  },
  {
    name: 'a failure past the deadline: unconfirmed, then offline like any failure',
    from: { ...online, status: 'restarting', consecutiveFailures: 5, restartWatch: watch(NOW - 1) },
    input: { kind: 'poll_failed', message: 'ECONNREFUSED' },
    status: 'offline',
    events: ['went_offline', 'restart_unconfirmed'],
  },
  {
    name: 'one failure past the deadline and not yet offline: unknown, not restarting',
    from: { ...online, status: 'restarting', restartWatch: watch(NOW - 1) },
    input: { kind: 'poll_failed', message: 'ECONNREFUSED' },
    status: 'unknown',
    events: ['restart_unconfirmed'],
  },
  {
    name: 'a breaker refusal is its own status and an offline condition',
    from: online,
    input: { kind: 'breaker_refused', retryAfterMs: 30_000 },
    status: 'breaker_open',
    events: ['went_offline'],
  },
  {
    name: 'restored takes the stored point for a miner not yet seen',
    from: base,
    input: { kind: 'restored', at: NOW - 60_000, uptimeS: 500, sessionBest: 1e6 },
    status: 'unknown',
    events: [],
    check: (s) => expect([s.lastSampleAt, s.uptimeS, s.sessionBest]).toEqual([NOW - 60_000, 500, 1e6]),
  },
  {
    name: 'restored leaves a miner already seen alone',
    from: online,
    input: { kind: 'restored', at: 1, uptimeS: 1, sessionBest: 1 },
    status: 'online',
    events: [],
    check: (s) => expect(s).toBe(online),
  },
  {
    name: 'a session best too good for the work since boot is flagged once',
    from: online,
    input: sample({
      uptimeS: 3600,
      sessionBestDifficulty: 1e14,
      bestDifficulty: 1e14,
      networkDifficulty: 1e15,
    }),
    status: 'online',
    events: ['best_difficulty_session', 'best_difficulty_all_time', 'best_difficulty_implausible'],
    check: (s) => expect(s.bestFlagged).toBe(true),
  },
  {
    name: 'watchdog: a miner not hashing gets a restart effect',
    from: { ...online, status: 'not_hashing', notHashing: true, pow: EMPTY_POW },
    input: sample({ uptimeS: 3600, sharesAccepted: null }),
    settings: WATCHING,
    status: 'not_hashing',
    events: [],
    effects: 1,
  },
  {
    name: 'watchdog: off by default',
    from: { ...online, status: 'not_hashing', notHashing: true },
    input: sample({ uptimeS: 3600, sharesAccepted: null }),
    status: 'not_hashing',
    events: [],
    effects: 0,
  },
  {
    name: 'watchdog: too hot is a reason to restart',
    from: online,
    input: sample({ uptimeS: 3600, maxChipTemperatureC: 90 }),
    settings: WATCHING,
    status: 'degraded',
    events: ['overheating'],
    effects: 1,
  },
  {
    name: 'watchdog: within the cooldown it waits',
    from: { ...online, notHashing: true, restartsAt: [NOW - 60_000] },
    input: sample({ uptimeS: 3600, sharesAccepted: null }),
    settings: WATCHING,
    status: 'not_hashing',
    events: [],
    effects: 0,
  },
  {
    name: 'watchdog: at the cap it gives up once, with an alert',
    from: { ...online, notHashing: true, restartsAt: [NOW - 3_000_000, NOW - 1_000_000] },
    input: sample({ uptimeS: 3600, sharesAccepted: null }),
    settings: WATCHING,
    status: 'not_hashing',
    events: ['watchdog_gave_up'],
    effects: 0,
    check: (s) => expect(s.watchdogGaveUp).toBe(true),
  },
  {
    name: 'watchdog: having given up it stays quiet',
    from: { ...online, notHashing: true, watchdogGaveUp: true, restartsAt: [] },
    input: sample({ uptimeS: 3600, sharesAccepted: null }),
    settings: WATCHING,
    status: 'not_hashing',
    events: [],
    effects: 0,
  },
  {
    name: 'watchdog: a healthy miner clears the give-up',
    from: { ...online, watchdogGaveUp: true },
    input: sample({ uptimeS: 3600 }),
    settings: WATCHING,
    status: 'online',
    events: [],
    effects: 0,
    check: (s) => expect(s.watchdogGaveUp).toBe(false),
  },
  {
    name: 'watchdog: never while a command or a restart watch is pending',
    from: {
      ...online,
      notHashing: true,
      command: { kind: 'restart', by: 'watchdog', why: 'not hashing', actor: null },
    },
    input: sample({ uptimeS: 3600, sharesAccepted: null }),
    settings: WATCHING,
    status: 'not_hashing',
    events: [],
    effects: 0,
  },
];

describe('reduce: commands, restarts, watchdog (one row per transition)', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const out = reduce(row.from, row.input, { now: NOW, settings: row.settings ?? SETTINGS });
    expect(out.state.status).toBe(row.status);
    expect(out.events.map((e) => e.type)).toEqual(row.events);
    if (row.effects !== undefined) expect(out.effects).toHaveLength(row.effects);
    row.check?.(out.state);
  });
});

/** A miner polled every `stepMs` whose accepted counter follows `accepted(t)` (t in s). */
function play(
  steps: number,
  accepted: (t: number) => number | null,
  overrides: Partial<MinerSample> = {},
  stepMs = 10_000,
  settings: ReducerSettings = SETTINGS,
) {
  let state = initialMinerState('m1');
  const seen: { t: number; status: MinerStatus; events: string[] }[] = [];
  for (let i = 0; i < steps; i += 1) {
    const t = (i * stepMs) / 1000;
    const out = reduce(state, sample({ uptimeS: 3600 + t, sharesAccepted: accepted(t), ...overrides }), {
      now: NOW + i * stepMs,
      settings,
    });
    state = out.state;
    seen.push({ t, status: state.status, events: out.events.map((e) => e.type) });
  }
  return { state, seen };
}

describe('proof-of-work health', () => {
  // 1000 GH/s at difficulty 1000: 0.233 shares/s claimed, 0.116/s believed.
  const rate = shareRate(1000, 1000);

  it('a zombie (hashrate reported, no shares) is not_hashing once ~14 believed shares are missing', () => {
    const { seen, state } = play(20, () => 5000);
    const first = seen.findIndex((s) => s.status === 'not_hashing');
    const expectedAt = Math.log(1e6) / (rate * 0.5);
    expect(seen[first]?.t).toBeGreaterThanOrEqual(expectedAt);
    expect(seen[first]?.t).toBeLessThan(expectedAt + 10);
    expect(seen[first]?.events).toEqual(['not_hashing']);
    expect(state.reason).toMatch(/no accepted share for/);
  });

  it('shares arriving again: hashing_resumed and online', () => {
    const { seen } = play(30, (t) => (t < 200 ? 5000 : 5000 + Math.floor((t - 190) * rate)));
    const types = seen.flatMap((s) => s.events);
    expect(types).toEqual(['not_hashing', 'hashing_resumed']);
    expect(seen.at(-1)?.status).toBe('online');
  });

  it('a miner finding a tenth of what it claims is caught by the window test', () => {
    const { seen } = play(200, (t) => Math.floor(t * rate * 0.1) + (t > 0 ? 1 : 0) * Math.floor(t / 25));
    expect(seen.some((s) => s.status === 'not_hashing')).toBe(true);
  });

  it('never judged without a pool difficulty, a counter, or during warm-up', () => {
    expect(play(40, () => 5000, { poolDifficulty: null }).seen.every((s) => s.status === 'online')).toBe(
      true,
    );
    expect(play(40, () => null).seen.every((s) => s.status === 'online')).toBe(true);
    const warm = play(40, () => 5000, { uptimeS: 100 });
    expect(warm.seen.every((s) => s.status === 'online')).toBe(true);
  });

  it('a counter reset (reboot) starts the count again instead of alarming', () => {
    let state = initialMinerState('m1');
    const verdicts: boolean[] = [];
    for (let i = 0; i < 10; i += 1) {
      const uptime = i < 5 ? 3600 + i * 10 : 400 + i * 10;
      const accepted = i < 5 ? 5000 + i * 3 : (i - 5) * 3;
      const out = reduce(state, sample({ uptimeS: uptime, sharesAccepted: accepted }), {
        now: NOW + i * 10_000,
        settings: SETTINGS,
      });
      state = out.state;
      verdicts.push(state.notHashing);
    }
    expect(verdicts.every((v) => !v)).toBe(true);
  });

  it('an honest miner is never flagged, at any speed and difficulty (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 500_000, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.double({ min: 0.9, max: 1.1, noNaN: true }), { minLength: 5, maxLength: 40 }),
        (ghs, difficulty, luck) => {
          // Shares at the claimed rate give or take 10 % per step, never fewer than the rate rounds to.
          let pow = EMPTY_POW;
          let accepted = 0;
          const r = shareRate(ghs, difficulty);
          for (const [i, factor] of luck.entries()) {
            accepted += Math.floor(r * 10 * factor);
            const verdict = judgePow(
              pow,
              {
                sample: makeSample({
                  hashrateGhs: ghs,
                  poolDifficulty: difficulty,
                  sharesAccepted: accepted,
                }),
                now: NOW + i * 10_000,
                rebooted: false,
                warmingUp: false,
              },
              DEFAULT_POW,
            );
            pow = verdict.state;
            if (verdict.notHashing) return false;
          }
          return true;
        },
      ),
    );
  });

  it('a zombie is always flagged once the believed expected shares pass ln(1/p) (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 500_000, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (ghs, difficulty) => {
          const believed = shareRate(ghs, difficulty) * DEFAULT_POW.hashrateCredit;
          const needS = Math.log(1 / DEFAULT_POW.pValue) / believed;
          // Within the gap limit, sampled every 10 s (or once, for fast miners).
          fc.pre(needS < 500);
          let pow = EMPTY_POW;
          let flagged = false;
          for (let i = 0; i * 10 <= needS + 10; i += 1) {
            const v = judgePow(
              pow,
              {
                sample: makeSample({ hashrateGhs: ghs, poolDifficulty: difficulty, sharesAccepted: 42 }),
                now: NOW + i * 10_000,
                rebooted: false,
                warmingUp: false,
              },
              DEFAULT_POW,
            );
            pow = v.state;
            flagged = v.notHashing;
          }
          return flagged;
        },
      ),
    );
  });
});
