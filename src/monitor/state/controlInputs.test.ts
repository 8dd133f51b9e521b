/**
 * Pause, resume, identify and settings writes as inputs of the state machine: a paused miner is
 * `paused`, never judged on hashrate or shares and never healed; a resume or a new frequency starts
 * the judgement afresh after a settling time; every outcome is one event.
 */
import { describe, expect, it } from 'vitest';
import type { MinerSample } from '../../miners/MinerSample.js';
import { makeSample } from '../testing/FakeDriver.js';
import { DEFAULT_THRESHOLDS } from '../thresholds.js';
import {
  type ControlOutcome,
  initialMinerState,
  type MinerInput,
  type MinerState,
  type Transition,
} from './MinerState.js';
import { reduce } from './reduce.js';
import { DEFAULT_POW, DEFAULT_WATCHDOG, type ReducerSettings } from './settings.js';

const SETTINGS: ReducerSettings = {
  thresholds: DEFAULT_THRESHOLDS,
  pow: DEFAULT_POW,
  watchdog: { ...DEFAULT_WATCHDOG, enabled: true, cooldownMs: 0 },
  restartConfirmMs: 120_000,
};
const STEP_MS = 10_000;
const BUSY = 233;
const SETTLE_MS = DEFAULT_THRESHOLDS.warmupS * 1000;

function outcome(
  command: ControlOutcome['command'],
  extra: Partial<Omit<ControlOutcome, 'kind' | 'command'>> = {},
): ControlOutcome {
  return {
    kind: 'command_outcome',
    command,
    ok: true,
    actor: 'api:test',
    message: `${command} by api:test`,
    severity: 'info',
    data: { actor: 'api:test' },
    applied: [],
    ...extra,
  };
}

/** A miner driven step by step, 10 s apart, with a device whose uptime runs on. */
class Miner {
  state: MinerState = initialMinerState('m1');
  now = 1_000_000;
  uptimeS = 3600;
  accepted = 1000;
  readonly events: string[] = [];
  readonly effects: string[] = [];
  last: Transition | null = null;

  input(input: MinerInput): Transition {
    this.now += STEP_MS;
    const t = reduce(this.state, input, { now: this.now, settings: SETTINGS });
    this.state = t.state;
    this.last = t;
    this.events.push(...t.events.map((e) => e.type));
    this.effects.push(...t.effects.map((e) => e.kind));
    return t;
  }

  /** A poll; `shares` new accepted shares since the last (1 TH/s at difficulty 10 finds ~233 in 10 s). */
  poll(shares: number, overrides: Partial<MinerSample> = {}): Transition {
    this.uptimeS += STEP_MS / 1000;
    this.accepted += shares;
    return this.input({
      kind: 'sample',
      sample: makeSample({
        uptimeS: this.uptimeS,
        sharesAccepted: this.accepted,
        poolDifficulty: 10,
        ...overrides,
      }),
    });
  }
}

describe('reduce: pause and resume', () => {
  it('a zombie that is not paused is found not hashing and healed by the watchdog (the control case)', () => {
    const m = new Miner();
    for (let i = 0; i < 6; i++) m.poll(0);
    expect(m.state.status).toBe('not_hashing');
    expect(m.effects).toContain('restart');
  });

  it('a paused miner finding no shares stays paused: no not_hashing, no hashrate alert, no restart', () => {
    const m = new Miner();
    m.poll(BUSY);
    m.poll(BUSY);
    const paused = m.input(outcome('pause'));
    expect(paused.events.map((e) => e.type)).toEqual(['miner_paused']);
    expect(paused.events[0]?.message).toBe('pause by api:test');
    expect(m.state.status).toBe('paused');
    expect(m.state.reason).toBe('paused by api:test');
    // Long past the zombie window, hashing nothing, even hot: still paused and left alone.
    for (let i = 0; i < 60; i++) m.poll(0, { hashrateGhs: 0, temperatureC: 90, maxChipTemperatureC: 90 });
    expect(m.state.status).toBe('paused');
    expect(m.state.reason).toBe('paused by api:test, overheating');
    expect(m.events).not.toContain('not_hashing');
    expect(m.events).not.toContain('hashrate_low');
    expect(m.effects).toEqual([]);
    expect(m.last?.conditions).toMatchObject({ hashrate_low: false, not_hashing: false });
  });

  it('pausing ends open hashrate and share conditions; resuming judges again only after it settles', () => {
    const m = new Miner();
    for (let i = 0; i < 6; i++) m.poll(0);
    expect(m.state.notHashing).toBe(true);
    const paused = m.input(outcome('pause'));
    expect(paused.conditions).toEqual({ hashrate_low: false, not_hashing: false });
    expect(m.state.notHashing).toBe(false);

    const resumed = m.input(outcome('resume'));
    expect(resumed.events.map((e) => e.type)).toEqual(['miner_resumed']);
    expect(m.state.status).toBe('online');
    expect(m.state.paused).toBeNull();
    expect(m.state.settlingUntil).toBe(m.now + SETTLE_MS);
    // No shares yet while it settles: not judged.
    const settleSteps = SETTLE_MS / STEP_MS;
    for (let i = 0; i < settleSteps - 1; i++) m.poll(0);
    expect(m.state.status).toBe('online');
    expect(m.events).toEqual(['not_hashing', 'miner_paused', 'miner_resumed']);
    // Settled and still finding nothing: judged, and it is a zombie again.
    for (let i = 0; i < 6; i++) m.poll(0);
    expect(m.state.status).toBe('not_hashing');
  });

  it('a resumed miner whose shares come back is online', () => {
    const m = new Miner();
    m.poll(BUSY);
    m.input(outcome('pause'));
    m.poll(0, { hashrateGhs: 0 });
    m.input(outcome('resume'));
    for (let i = 0; i < SETTLE_MS / STEP_MS + 10; i++) m.poll(BUSY);
    expect(m.state.status).toBe('online');
    expect(m.state.settlingUntil).toBeNull();
    expect(m.events).toEqual(['miner_paused', 'miner_resumed']);
  });

  it('a device that says it is paused is paused, by the device, until it says otherwise', () => {
    const m = new Miner();
    m.poll(BUSY, { paused: false });
    m.poll(0, { paused: true, hashrateGhs: 0 });
    expect(m.state.status).toBe('paused');
    expect(m.state.reason).toBe('paused by device');
    // A firmware that cannot say keeps what we knew.
    m.poll(0, { paused: null, hashrateGhs: 0 });
    expect(m.state.status).toBe('paused');
    m.poll(BUSY, { paused: false });
    expect(m.state.status).toBe('online');
  });

  it('our pause is ended by the device saying it hashes (resumed on its own screen)', () => {
    const m = new Miner();
    m.poll(BUSY);
    m.input(outcome('pause'));
    m.poll(0, { paused: true });
    expect(m.state.paused?.by).toBe('api:test');
    m.poll(BUSY, { paused: false });
    expect(m.state.status).toBe('online');
  });

  it('a paused miner that stops answering is offline, and paused again when it answers', () => {
    const m = new Miner();
    m.poll(BUSY);
    m.input(outcome('pause'));
    for (let i = 0; i < DEFAULT_THRESHOLDS.offlineAfterFailures; i++)
      m.input({ kind: 'poll_failed', message: 'connect ECONNREFUSED' });
    expect(m.state.status).toBe('offline');
    m.poll(0);
    expect(m.state.status).toBe('paused');
  });

  it('a refused pause changes nothing and is one control_failed event', () => {
    const m = new Miner();
    m.poll(BUSY);
    const before = m.state;
    const t = m.input(outcome('pause', { ok: false, severity: 'warning', message: 'pause failed: 404' }));
    expect(t.state).toBe(before);
    expect(t.events).toEqual([
      {
        type: 'control_failed',
        severity: 'warning',
        message: 'pause failed: 404',
        data: { actor: 'api:test' },
      },
    ]);
  });
});

describe('reduce: settings writes', () => {
  it('a new frequency starts the hashrate judgement afresh, after a settling time', () => {
    const m = new Miner();
    for (let i = 0; i < 3; i++) m.poll(BUSY);
    expect(m.state.pow.at).not.toBeNull();
    const t = m.input(outcome('settings', { applied: ['frequencyMhz'] }));
    expect(t.events.map((e) => e.type)).toEqual(['settings_changed']);
    expect(m.state.pow.at).toBeNull();
    expect(m.state.settlingUntil).toBe(m.now + SETTLE_MS);
    // Its hashrate well below the old expectation while it settles: no alert.
    for (let i = 0; i < SETTLE_MS / STEP_MS - 1; i++) m.poll(0, { hashrateGhs: 100 });
    expect(m.state.status).toBe('online');
    expect(m.events).toEqual(['settings_changed']);
  });

  it('a pool or hostname change leaves the judgement as it was', () => {
    const m = new Miner();
    for (let i = 0; i < 3; i++) m.poll(BUSY);
    const before = m.state;
    const t = m.input(outcome('settings', { applied: ['pools', 'hostname'] }));
    expect(t.state).toBe(before);
    expect(t.events.map((e) => e.type)).toEqual(['settings_changed']);
  });

  it('identify is an event and nothing else', () => {
    const m = new Miner();
    m.poll(BUSY);
    const before = m.state;
    const t = m.input(outcome('identify'));
    expect(t.state).toBe(before);
    expect(t.events.map((e) => e.type)).toEqual(['miner_identify']);
  });
});

describe('reduce: a restart names who asked', () => {
  it('carries the actor from command_sent into restart_requested', () => {
    const m = new Miner();
    m.poll(BUSY);
    m.input({ kind: 'command_sent', command: 'restart', by: 'user', why: null, actor: 'action:7' });
    const t = m.input({ kind: 'command_outcome', command: 'restart', ok: true, detail: 'restarting' });
    expect(t.events[0]).toMatchObject({
      type: 'restart_requested',
      message: 'Restart sent by action:7: restarting',
      data: { by: 'user', actor: 'action:7' },
    });
  });
});
