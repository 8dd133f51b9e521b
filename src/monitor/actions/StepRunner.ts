/**
 * How an action reaches one miner: send the command, then read it back. The engine knows nothing
 * of devices; the composition root (main.ts) adapts the control interface to this.
 */
import type { ActionStep } from './Action.js';

export interface StepRunner {
  /**
   * Sends the command; resolves once the device accepted it, with whatever `verify` needs
   * (e.g. the read-back of a settings write). Rejects with an error that says what failed.
   */
  apply(minerId: string, step: ActionStep, signal: AbortSignal): Promise<unknown>;
  /**
   * Reads the device back: resolves true when it does what was asked, false when the device
   * cannot say (the miner then stays `applied`); rejects, saying what differs, otherwise.
   */
  verify(minerId: string, step: ActionStep, applied: unknown, signal: AbortSignal): Promise<boolean>;
}
