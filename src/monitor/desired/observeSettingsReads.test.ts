import { describe, expect, it } from 'vitest';
import type { MinerControl } from '../control/MinerControl.js';
import { observeSettingsReads } from './observeSettingsReads.js';

/** A control written as a class, as the app's is: its methods live on the prototype. */
class RecordingControl {
  readonly calls: string[] = [];
  async readSettings(id: string) {
    this.calls.push(`read ${id}`);
    return { settings: { pools: [{ url: 'stratum+tcp://pool:3333', user: 'me' }] } };
  }
  async applySettings(id: string) {
    this.calls.push(`apply ${id}`);
    return { applied: {}, readBack: { hostname: 'back' }, restartRequired: false };
  }
  async pause(id: string, actor: string) {
    this.calls.push(`pause ${id} ${actor}`);
    return { accepted: true };
  }
  async resume(id: string, actor: string) {
    this.calls.push(`resume ${id} ${actor}`);
    return { accepted: true };
  }
  async identify(id: string, actor: string) {
    this.calls.push(`identify ${id} ${actor}`);
    return { accepted: true };
  }
  async restart(id: string, actor: string) {
    this.calls.push(`restart ${id} ${actor}`);
    return { accepted: true };
  }
}

describe('observeSettingsReads', () => {
  it('shows every read and read-back to the desired state and keeps every other command', async () => {
    const inner = new RecordingControl();
    const seen: [string, unknown][] = [];
    const control = observeSettingsReads(inner as unknown as MinerControl, {
      observe: (id, settings) => {
        seen.push([id, settings]);
        return [];
      },
    });
    await control.readSettings('a');
    await control.applySettings('b', { hostname: 'x' }, 'cli');
    await control.pause('c', 'schedule');
    await control.resume('c', 'schedule');
    await control.identify('c', 'cli');
    await control.restart('c', 'watchdog');
    expect(seen).toEqual([
      ['a', { pools: [{ url: 'stratum+tcp://pool:3333', user: 'me' }] }],
      ['b', { hostname: 'back' }],
    ]);
    expect(inner.calls).toEqual([
      'read a',
      'apply b',
      'pause c schedule',
      'resume c schedule',
      'identify c cli',
      'restart c watchdog',
    ]);
  });
});
