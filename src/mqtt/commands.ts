/**
 * Commands from Home Assistant: `<baseTopic>/<minerId>/<command>/set`. Each runs the same monitor
 * call as the API (so the same checks and the same breaker), and its outcome is published on
 * `<baseTopic>/<minerId>/<command>/result`. A payload that is not understood runs nothing and is
 * reported with the reason.
 */
import type { DeviceSettings, SettingsReading } from '../miners/control/settings.js';
import { isControlError } from '../monitor/control/MinerControl.js';
import { isMonitorError } from '../monitor/errors.js';
import type { Monitor, RestartStatus } from '../monitor/types.js';
import type { SettingsControl } from './CapabilityReader.js';
import { shown } from './payload.js';
import { settingEntities } from './settingEntities.js';
import { COMMANDS, type CommandName, isSettingCommand, type SettingCommand, type Topics } from './topics.js';

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

export interface CommandHandlerOptions {
  readonly topics: Topics;
  readonly monitor: CommandMonitor;
  /** Pause, resume and settings; without it only the restart button is offered. */
  readonly control?: SettingsControl;
  /** What the miner was read to offer (null while unknown): a command it lacks is ignored. */
  readonly capabilities: (minerId: string) => SettingsReading | null;
  /** The settings read back after a write, for the entities' state. */
  readonly onSettings?: (minerId: string, settings: DeviceSettings) => void;
  /** The commands offered; others are ignored. */
  readonly offered: readonly CommandName[];
  readonly publishResult: (minerId: string, command: CommandName, result: CommandResult) => void;
  readonly onEvent?: (event: CommandEvent) => void;
  /**
   * In a fleet shared by several instances every instance hears each command: only the one that
   * polls the miner runs it, so it reaches the device once. @default every miner runs here
   */
  readonly runsHere?: (minerId: string) => boolean;
}

/** Payloads as Home Assistant sends them: a button's `payload_press`, a switch's on and off. */
export const PRESS = 'PRESS';
export const ON = 'ON';
export const OFF = 'OFF';

/** Why an instance that does not poll the miner leaves a command to the one that does. */
export const ANOTHER_INSTANCE = 'another instance polls this miner and runs its commands';

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
    if (this.#o.runsHere?.(target.minerId) === false) return ANOTHER_INSTANCE;
    const text = payload.toString('utf8').trim();
    if (isSettingCommand(command)) return this.#setting(target.minerId, command, text);
    if (command === 'pause') {
      if (this.#o.capabilities(target.minerId)?.capabilities.commands.pause !== true) {
        return 'this miner cannot pause (or its capabilities are not read yet)';
      }
      const on = text.toUpperCase();
      if (on !== ON && on !== OFF) return `pause takes the payload ${ON} or ${OFF}, got ${shown(text)}`;
      this.#pause(target.minerId, on === ON);
      return null;
    }
    if (text.toUpperCase() !== PRESS) return `restart takes the payload ${PRESS}, got ${shown(text)}`;
    this.#restart(target.minerId);
    return null;
  }

  /** Checks the payload against the entity the device offers, then applies it as the API would. */
  #setting(minerId: string, command: SettingCommand, text: string): string | null {
    const { control, topics, publishResult, onEvent, onSettings } = this.#o;
    const reading = this.#o.capabilities(minerId);
    if (control === undefined || reading === null) return `${command} is not offered for this miner yet`;
    const entity = settingEntities(reading.capabilities, topics, minerId).find((e) => e.command === command);
    if (entity === undefined) return `this miner does not offer ${command}`;
    const patch = entity.parse(text);
    if (typeof patch === 'string') return patch;
    control.applySettings(minerId, patch, 'mqtt').then(
      (result) => {
        onSettings?.(minerId, result.readBack);
        const ok = result.mismatches.length === 0;
        const detail = ok
          ? `${result.applied.join(', ')} changed${result.restartRequired ? ' (takes effect after a restart)' : ''}`
          : `did not read back as written: ${result.mismatches.map((m) => m.field).join(', ')}`;
        publishResult(minerId, command, { ok, state: null, detail, code: null });
        onEvent?.({ type: 'command', minerId, command, ok, detail });
      },
      (error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        const code = isControlError(error) || isMonitorError(error) ? error.code : null;
        publishResult(minerId, command, { ok: false, state: null, detail, code });
        onEvent?.({ type: 'command', minerId, command, ok: false, detail });
      },
    );
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
