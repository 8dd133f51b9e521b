import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../storage/Storage.js';
import { type AlertAction, AlertEngine } from './AlertEngine.js';
import type { StateEvent as PolicyEvent } from './state/MinerState.js';
import { MemoryStorage } from './testing/MemoryStorage.js';

const hot: PolicyEvent = { type: 'overheating', severity: 'critical', message: 'chip 75 °C', data: {} };
const rebooted: PolicyEvent = { type: 'rebooted', severity: 'warning', message: 'rebooted', data: {} };

function setup(storage = new MemoryStorage()) {
  const actions: { action: AlertAction; alert: AlertRecord }[] = [];
  const engine = new AlertEngine({
    storage,
    onAlert: (action, alert) => actions.push({ action, alert }),
    reminderIntervalMs: 60_000,
    clearAfterMs: 20_000,
    instantCooldownMs: 30_000,
  });
  return { engine, actions, storage };
}

describe('AlertEngine', () => {
  it('opens one alert per condition, whatever the number of polls that see it', async () => {
    const { engine, actions, storage } = setup();
    engine.observe('m1', { overheating: true }, [hot], 0, 'bitaxe');
    for (let t = 10_000; t < 60_000; t += 10_000) engine.observe('m1', { overheating: true }, [], t);
    await engine.flush();
    expect(actions.map((a) => a.action)).toEqual(['opened']);
    expect(actions[0]?.alert.message).toBe('bitaxe: chip 75 °C');
    expect(storage.alerts.get('overheating:m1')?.clearedAt).toBeNull();
  });

  it('reminds at the reminder interval while the condition holds', () => {
    const { engine, actions } = setup();
    engine.observe('m1', { overheating: true }, [hot], 0);
    engine.observe('m1', { overheating: true }, [], 59_000);
    engine.observe('m1', { overheating: true }, [], 60_000);
    engine.observe('m1', { overheating: true }, [], 100_000);
    engine.observe('m1', { overheating: true }, [], 120_000);
    expect(actions.map((a) => a.action)).toEqual(['opened', 'reminder', 'reminder']);
    expect(actions[2]?.alert.notifications).toBe(3);
  });

  it('clears only after the condition stayed clear, so flapping keeps one alert', () => {
    const { engine, actions } = setup();
    let t = 0;
    const at = (ms: number): number => {
      t += ms;
      return t;
    };
    for (let flap = 0; flap < 5; flap += 1) {
      engine.observe('m1', { offline: true }, [], at(5000));
      engine.observe('m1', { offline: false }, [], at(5000));
    }
    expect(actions.map((a) => a.action)).toEqual(['opened']);
    engine.observe('m1', { offline: false }, [], at(10_000));
    engine.observe('m1', { offline: false }, [], at(10_000));
    expect(actions.map((a) => a.action)).toEqual(['opened', 'cleared']);
    expect(actions[1]?.alert.clearedAt).toBe(t);
    engine.observe('m1', { offline: true }, [], at(5000));
    expect(actions.map((a) => a.action)).toEqual(['opened', 'cleared', 'opened']);
  });

  it('conditions a poll could not observe are left alone', () => {
    const { engine, actions } = setup();
    engine.observe('m1', { overheating: true }, [hot], 0);
    engine.observe('m1', { offline: true }, [], 100_000);
    expect(actions.filter((a) => a.alert.condition === 'overheating').map((a) => a.action)).toEqual([
      'opened',
    ]);
  });

  it('one-off events are rate-limited per miner and type', () => {
    const { engine, actions } = setup();
    engine.observe('m1', {}, [rebooted], 0);
    engine.observe('m1', {}, [rebooted], 10_000);
    engine.observe('m2', {}, [rebooted], 10_000);
    engine.observe('m1', {}, [rebooted], 40_000);
    expect(actions.map((a) => `${a.alert.minerId}:${a.alert.condition}`)).toEqual([
      'm1:rebooted',
      'm2:rebooted',
      'm1:rebooted',
    ]);
    expect(actions.every((a) => a.alert.clearedAt !== null)).toBe(true);
  });

  it('notifies news and every restart: bests, blocks, restarts and their fate, the give-up', () => {
    const { engine, actions } = setup();
    const types = [
      'best_difficulty_session',
      'best_difficulty_all_time',
      'best_difficulty_implausible',
      'block_found',
      'restart_requested',
      'restart_confirmed',
      'restart_failed',
      'restart_unconfirmed',
      'watchdog_gave_up',
    ] as const;
    const events: PolicyEvent[] = types.map((type) => ({ type, severity: 'info', message: type, data: {} }));
    engine.observe('m1', {}, events, 0, 'bitaxe');
    expect(actions.map((a) => a.alert.condition)).toEqual([...types]);
    expect(actions.every((a) => a.action === 'opened' && a.alert.clearedAt === 0)).toBe(true);
    // Routine changes are events only.
    engine.observe('m1', {}, [{ type: 'came_back', severity: 'info', message: 'back' }], 1000);
    expect(actions).toHaveLength(types.length);
  });

  it('not hashing is a condition with its own alert', () => {
    const { engine, actions } = setup();
    const event: PolicyEvent = { type: 'not_hashing', severity: 'critical', message: 'no shares', data: {} };
    engine.observe('m1', { not_hashing: true }, [event], 0, 'bitaxe');
    engine.observe('m1', { not_hashing: false }, [], 30_000);
    engine.observe('m1', { not_hashing: false }, [], 50_000);
    expect(actions.map((a) => [a.action, a.alert.condition])).toEqual([
      ['opened', 'not_hashing'],
      ['cleared', 'not_hashing'],
    ]);
    expect(actions[0]?.alert.severity).toBe('critical');
  });

  it('reloads open alerts so de-duplication survives a restart', async () => {
    const storage = new MemoryStorage();
    const first = setup(storage);
    first.engine.observe('m1', { overheating: true }, [hot], 0);
    await first.engine.flush();
    const second = setup(storage);
    expect(await second.engine.restore()).toBe(1);
    second.engine.observe('m1', { overheating: true }, [hot], 10_000);
    expect(second.actions).toEqual([]);
    second.engine.observe('m1', { overheating: false }, [], 20_000);
    second.engine.observe('m1', { overheating: false }, [], 40_000);
    expect(second.actions.map((a) => a.action)).toEqual(['cleared']);
  });

  it('keeps alerting when storage fails, and counts the failures', async () => {
    const storage = new MemoryStorage();
    storage.failWrites = new Error('disk full');
    const { engine, actions } = setup(storage);
    engine.observe('m1', { overheating: true }, [hot], 0);
    await engine.flush();
    expect(actions).toHaveLength(1);
    expect(engine.writeFailures).toBe(1);
  });

  it('clears every alert of a removed miner', () => {
    const { engine, actions } = setup();
    engine.observe('m1', { overheating: true, offline: false }, [hot], 0);
    engine.clearMiner('m1', 5);
    expect(actions.map((a) => a.action)).toEqual(['opened', 'cleared']);
    expect(engine.openAlerts()).toEqual([]);
  });
});
