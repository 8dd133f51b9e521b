/**
 * The control interface with desired state watching it: every settings read, and the read-back
 * of every write, is compared with the desired state (DESIGN.md "after every settings read").
 * Each method is delegated by name: the control is a class, so a spread would drop its methods.
 */
import type { MinerControl } from '../control/MinerControl.js';
import type { DesiredState } from './DesiredState.js';

export function observeSettingsReads(
  control: MinerControl,
  desired: Pick<DesiredState, 'observe'>,
): MinerControl {
  return {
    readSettings: async (id, signal) => {
      const reading = await control.readSettings(id, signal);
      desired.observe(id, reading.settings);
      return reading;
    },
    applySettings: async (id, patch, actor, signal) => {
      const result = await control.applySettings(id, patch, actor, signal);
      desired.observe(id, result.readBack);
      return result;
    },
    pause: (id, actor, signal) => control.pause(id, actor, signal),
    resume: (id, actor, signal) => control.resume(id, actor, signal),
    identify: (id, actor, signal) => control.identify(id, actor, signal),
    restart: (id, actor, signal) => control.restart(id, actor, signal),
  };
}
