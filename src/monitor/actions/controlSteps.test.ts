import { describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../types.js';
import type { ActionStep } from './Action.js';
import { type ControlForActions, controlSteps } from './controlSteps.js';
import { monitorRestartOutcomes } from './restartOutcomes.js';

/** Answers only the fields the steps read; cast to the interface where used. */
class FakeControl {
  paused: boolean | null = false;
  mismatches: { field: string; wanted: unknown; got: unknown }[] = [];
  readonly calls: string[] = [];
  onRestart: () => void = () => {};
  async readSettings() {
    return { settings: { paused: this.paused } };
  }
  async applySettings(id: string, patch: object, actor: string) {
    this.calls.push(`settings ${id} ${JSON.stringify(patch)} ${actor}`);
    return { mismatches: this.mismatches };
  }
  async pause(id: string, actor: string) {
    this.calls.push(`pause ${id} ${actor}`);
    this.paused = this.paused === null ? null : true;
  }
  async resume(id: string, actor: string) {
    this.calls.push(`resume ${id} ${actor}`);
  }
  async restart(id: string, actor: string) {
    this.calls.push(`restart ${id} ${actor}`);
    this.onRestart();
  }
}

function hub() {
  const listeners = new Set<(event: MonitorEvent) => void>();
  return {
    subscribe(listener: (event: MonitorEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event: MonitorEvent) {
      for (const l of listeners) l(event);
    },
    get size() {
      return listeners.size;
    },
  };
}

const step = (action: ActionStep['action'], settings: ActionStep['settings'] = null): ActionStep => ({
  action,
  settings,
  actor: 'action:a1',
});
const signal = new AbortController().signal;

async function run(runner: ReturnType<typeof controlSteps>, s: ActionStep) {
  const applied = await runner.apply('m1', s, signal);
  return runner.verify('m1', s, applied, signal);
}

describe('controlSteps', () => {
  it('writes settings as the action and fails naming a field that did not take', async () => {
    const control = new FakeControl();
    const runner = controlSteps(control as unknown as ControlForActions, monitorRestartOutcomes(hub()));
    await expect(run(runner, step('settings', { frequencyMhz: 525 }))).resolves.toBe(true);
    expect(control.calls).toEqual(['settings m1 {"frequencyMhz":525} action:a1']);
    control.mismatches = [{ field: 'frequencyMhz', wanted: 525, got: 490 }];
    await expect(run(runner, step('settings', { frequencyMhz: 525 }))).rejects.toThrow(
      'frequencyMhz read back 490, asked 525',
    );
  });

  it('reads pause back, and leaves a device that cannot say unverified', async () => {
    const control = new FakeControl();
    const runner = controlSteps(control as unknown as ControlForActions, monitorRestartOutcomes(hub()));
    await expect(run(runner, step('pause'))).resolves.toBe(true);
    // resume was sent, but the device still says paused.
    await expect(run(runner, step('resume'))).rejects.toThrow('read back paused after resume');
    control.paused = null;
    await expect(run(runner, step('pause'))).resolves.toBe(false);
  });

  it('confirms a restart by the monitor, and fails an unconfirmed one with its reason', async () => {
    const control = new FakeControl();
    const events = hub();
    const runner = controlSteps(control as unknown as ControlForActions, monitorRestartOutcomes(events));
    const restart = (state: 'confirmed' | 'unconfirmed', detail: string) => ({
      type: 'restart' as const,
      restart: { minerId: 'm1', state, requestedAt: 0, confirmedAt: null, detail },
    });
    control.onRestart = () => {
      events.emit({
        ...restart('confirmed', 'x'),
        restart: { ...restart('confirmed', 'x').restart, minerId: 'm2' },
      });
      events.emit(restart('confirmed', 'uptime reset'));
    };
    await expect(run(runner, step('restart'))).resolves.toBe(true);
    control.onRestart = () => events.emit(restart('unconfirmed', 'uptime did not reset within 120 s'));
    await expect(run(runner, step('restart'))).rejects.toThrow(
      'restart not confirmed: uptime did not reset within 120 s',
    );
    expect(events.size).toBe(0);
  });

  it('stops waiting for a restart when aborted', async () => {
    const events = hub();
    const controller = new AbortController();
    const waiting = monitorRestartOutcomes(events).outcome('m1', controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(events.size).toBe(0);
  });
});
