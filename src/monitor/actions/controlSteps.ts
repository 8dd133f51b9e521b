/**
 * The step runner over per-miner control: each command sent through the control interface (so
 * it passes the miner's breaker and is logged as `action:<id>`), then read back:
 * - settings: the control interface writes, reads back and compares; a field that did not take
 *   fails the miner, naming it.
 * - pause / resume: the device's settings read again must say `paused` true / false; a device
 *   that cannot say stays `applied`.
 * - restart: confirmed the monitor's way, by the uptime resetting at a later poll.
 */
import type { ApplyResult, MinerControl } from '../control/MinerControl.js';
import type { ActionStep } from './Action.js';
import type { StepRunner } from './StepRunner.js';

/** The part of the control interface fleet actions use. */
export type ControlForActions = Pick<
  MinerControl,
  'readSettings' | 'applySettings' | 'pause' | 'resume' | 'restart'
>;

/** How a restart ends, as the monitor tells it (its `restart` events). */
export interface RestartOutcomes {
  /**
   * Resolves when the miner's restart under way ends: with null when confirmed, with the reason
   * when it was not.
   */
  outcome(minerId: string, signal: AbortSignal): Promise<string | null>;
}

type Actor = `action:${string}`;

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

export function controlSteps(control: ControlForActions, restarts: RestartOutcomes): StepRunner {
  return {
    async apply(minerId: string, step: ActionStep, signal: AbortSignal): Promise<unknown> {
      const actor = step.actor as Actor;
      switch (step.action) {
        case 'settings':
          return control.applySettings(minerId, step.settings ?? {}, actor, signal);
        case 'pause':
          return control.pause(minerId, actor, signal);
        case 'resume':
          return control.resume(minerId, actor, signal);
        case 'restart': {
          // Listen before sending, so a quick confirmation is not missed.
          const outcome = restarts.outcome(minerId, signal);
          outcome.catch(() => {});
          await control.restart(minerId, actor, signal);
          return outcome;
        }
      }
    },

    async verify(minerId: string, step: ActionStep, applied: unknown, signal: AbortSignal): Promise<boolean> {
      switch (step.action) {
        case 'settings': {
          const { mismatches } = applied as ApplyResult;
          if (mismatches.length > 0) {
            const shown = mismatches.map(
              (m) => `${m.field} read back ${describe(m.got)}, asked ${describe(m.wanted)}`,
            );
            throw new Error(shown.join('; '));
          }
          return true;
        }
        case 'pause':
        case 'resume': {
          const { settings } = await control.readSettings(minerId, signal);
          if (settings.paused === null) return false;
          const wanted = step.action === 'pause';
          if (settings.paused !== wanted) {
            throw new Error(`read back ${settings.paused ? 'paused' : 'hashing'} after ${step.action}`);
          }
          return true;
        }
        case 'restart': {
          const reason = await (applied as Promise<string | null>);
          if (reason !== null) throw new Error(`restart not confirmed: ${reason}`);
          return true;
        }
      }
    },
  };
}
