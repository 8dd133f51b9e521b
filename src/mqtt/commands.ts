/**
 * Commands from Home Assistant: `<baseTopic>/<minerId>/<command>/set`. Each runs the same monitor
 * call as the API (so the same checks and the same breaker), and its outcome is published on
 * `<baseTopic>/<minerId>/<command>/result`. A payload that is not understood runs nothing and is
 * reported with the reason.
 */
import { isControlError, type MinerControl } from '../monitor/control/MinerControl.js';
import { isMonitorError } from '../monitor/errors.js';
import type { Monitor, RestartStatus } from '../monitor/types.js';
import { COMMANDS, type CommandName, type Topics } from './topics.js';

export type CommandMonitor = Pick<Monitor, 'getMiner' | 'restartMiner'>;

export type CommandEvent =
  | { readonly type: 'command_ignored'; readonly topic: string; readonly reason: string }
  | {
      readonly type: 'command';
      readonly minerId: string;
      readonly command: CommandName;
      readonly ok: boolean;
      readonly detail: string;
    };

/** What is published on the result topic. */
export interface CommandResult {
  readonly ok: boolean;
  /** The restart's state when it was sent or settled. */
  readonly state: RestartStatus['state'] | null;
  readonly detail: string;
  /** The monitor's error code when refused, e.g. RESTART_COOLDOWN. */
  readonly code: string | null;
}

/** What the pause switch runs: the same per-miner control as the API. */
export type PauseControl = Pick<MinerControl, 'pause' | 'resume'>;

export interface CommandHandlerOptions {
  readonly topics: Topics;
  readonly monitor: CommandMonitor;
  /** Pause and resume; without it the pause switch is not offered. */
  readonly control?: PauseControl;
  /** The commands offered; others are ignored. */
  readonly offered: readonly CommandName[];
  readonly publishResult: (minerId: string, command: CommandName, result: CommandResult) => void;
  readonly onEvent?: (event: CommandEvent) => void;
}

/** Payloads as Home Assistant sends them: a button's `payload_press`, a switch's on and off. */
export const PRESS = 'PRESS';
export const ON = 'ON';
export const OFF = 'OFF';

/** A payload shown in a log line: short, printable. */
function shown(payload: string): string {
  const text = payload.length > 40 ? `${payload.slice(0, 40)}...` : payload;
  return JSON.stringify(text);
}

export class CommandHandler {
  readonly #o: CommandHandlerOptions;

  constructor(options: CommandHandlerOptions) {
    this.#o = options;
  }

  /** Handles one message; never throws, never waits (the command runs in the background). */
  handle(topic: string, payload: Buffer, retained: boolean): void {
    const problem = this.#run(topic, payload, retained);
    if (problem !== null) this.#o.onEvent?.({ type: 'command_ignored', topic, reason: problem });
  }

  /** Starts the command, or says why not. */
  #run(topic: string, payload: Buffer, retained: boolean): string | null {
    const target = this.#o.topics.parseCommand(topic);
    if (target === null) return 'not a command topic';
    // A retained command would run again at every reconnect.
    if (retained) return 'retained command messages are ignored; publish commands without retain';
    const command = target.command as CommandName;
    if (!COMMANDS.includes(command)) return `unknown command ${JSON.stringify(target.command)}`;
    if (!this.#o.offered.includes(command)) return `the ${command} command is not offered`;
    if (this.#o.monitor.getMiner(target.minerId) === null) {
      return `no miner with id ${JSON.stringify(target.minerId)}`;
    }
    const text = payload.toString('utf8').trim();
    if (command === 'pause') {
      const on = text.toUpperCase();
      if (on !== ON && on !== OFF) return `pause takes the payload ${ON} or ${OFF}, got ${shown(text)}`;
      this.#pause(target.minerId, on === ON);
      return null;
    }
    if (text.toUpperCase() !== PRESS) return `restart takes the payload ${PRESS}, got ${shown(text)}`;
    this.#restart(target.minerId);
    return null;
  }

  #pause(minerId: string, paused: boolean): void {
    const { control, publishResult, onEvent } = this.#o;
    if (control === undefined) return;
    const run = paused ? control.pause(minerId, 'mqtt') : control.resume(minerId, 'mqtt');
    run.then(
      (result) => {
        publishResult(minerId, 'pause', { ok: true, state: null, detail: result.detail, code: null });
        onEvent?.({ type: 'command', minerId, command: 'pause', ok: true, detail: result.detail });
      },
      (error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        const code = isControlError(error) || isMonitorError(error) ? error.code : null;
        publishResult(minerId, 'pause', { ok: false, state: null, detail, code });
        onEvent?.({ type: 'command', minerId, command: 'pause', ok: false, detail });
      },
    );
  }

  #restart(minerId: string): void {
    const { monitor, publishResult, onEvent } = this.#o;
    monitor.restartMiner(minerId, 'mqtt').then(
      (status) => {
        publishResult(minerId, 'restart', {
          ok: true,
          state: status.state,
          detail: status.detail,
          code: null,
        });
        onEvent?.({ type: 'command', minerId, command: 'restart', ok: true, detail: status.detail });
      },
      (error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        const code = isMonitorError(error) ? error.code : null;
        publishResult(minerId, 'restart', { ok: false, state: null, detail, code });
        onEvent?.({ type: 'command', minerId, command: 'restart', ok: false, detail });
      },
    );
  }
}
