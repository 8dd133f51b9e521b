/**
 * The one MinerControl: every command goes through the miner's breaker (`miner_operations:<id>`),
 * is checked against the device's capabilities before anything is sent, is sent once (again only
 * when nothing went out), is read back, and its outcome goes to the miner's state machine, which
 * writes the one event naming who asked, with the settings before and after (never a password).
 */

import type { DeviceCommand, DriverControl, DriverReading } from '../../miners/control/DriverControl.js';
import { isMinerAccessDeniedError, isMinerError } from '../../miners/errors.js';
import { failedBeforeSending } from '../../miners/http/transportError.js';
import type { CallOptions, MinerEndpoint } from '../../miners/MinerDriver.js';
import {
  type CircuitBreaker,
  type Clock,
  isCircuitOpenError,
  isHttpStatusError,
  retry,
} from '../../resilience/index.js';
import type { Severity } from '../../storage/Storage.js';
import type { ControlCommandName, ControlOutcome } from '../state/MinerState.js';
import { compareReadBack } from './compareReadBack.js';
import {
  type Actor,
  type ApplyResult,
  type CommandResult,
  ControlBreakerOpenError,
  ControlError,
  type MinerControl,
  type SettingsPatch,
  type SettingsReading,
  UnsupportedCapabilityError,
} from './MinerControl.js';
import { redactPatch } from './redact.js';
import { checkCommand, validatePatch } from './validatePatch.js';

/** A miner as control needs it. */
export interface ControlTarget {
  readonly id: string;
  readonly name: string;
  readonly endpoint: MinerEndpoint;
  /** The driver's control, or null when the family offers none. */
  readonly control: DriverControl | null;
}

export interface ControlSettings {
  /** Time for one request to the device. @default 10000 */
  readonly timeoutMs: number;
  /** Sends of a command when the connection failed before anything went out. @default 2 */
  readonly maxSendAttempts: number;
}

export const DEFAULT_CONTROL_SETTINGS: ControlSettings = Object.freeze({
  timeoutMs: 10_000,
  maxSendAttempts: 2,
});

export interface ControlServiceDeps {
  /** The miner, or a thrown MonitorError MINER_NOT_FOUND. */
  readonly target: (id: string) => ControlTarget;
  /** The miner's one breaker. */
  readonly breakerOf: (id: string) => CircuitBreaker;
  /**
   * Hands an outcome to the miner's state machine: a pause makes it `paused`, a new frequency
   * starts its hashrate judgement afresh, and the event is written there, once.
   */
  readonly report: (minerId: string, outcome: ControlOutcome) => void;
  /** The monitor's restart (cooldown, confirmation by uptime), whose event names the actor. */
  readonly restart: (id: string, actor: Actor) => Promise<{ readonly detail: string }>;
  /** Asks for a poll soon, so the dashboard shows the change. */
  readonly pollSoon?: (id: string) => void;
  readonly clock: Clock;
  readonly settings?: Partial<ControlSettings>;
}

export class ControlService implements MinerControl {
  readonly #deps: ControlServiceDeps;
  readonly #settings: ControlSettings;

  constructor(deps: ControlServiceDeps) {
    this.#deps = deps;
    this.#settings = { ...DEFAULT_CONTROL_SETTINGS, ...deps.settings };
    if (!(this.#settings.timeoutMs > 0))
      throw new RangeError('Expected `timeoutMs` to be a positive number.');
    if (!(Number.isInteger(this.#settings.maxSendAttempts) && this.#settings.maxSendAttempts >= 1)) {
      throw new RangeError('Expected `maxSendAttempts` to be a positive integer.');
    }
  }

  async readSettings(id: string, signal?: AbortSignal): Promise<SettingsReading> {
    const target = this.#deps.target(id);
    const reading = await this.#read(target, signal);
    return { settings: reading.settings, capabilities: reading.capabilities };
  }

  async applySettings(
    id: string,
    patch: SettingsPatch,
    actor: Actor,
    signal?: AbortSignal,
  ): Promise<ApplyResult> {
    const target = this.#deps.target(id);
    const before = await this.#read(target, signal);
    validatePatch(patch, before.capabilities);
    const control = target.control as DriverControl;
    const safe = redactPatch(patch);
    let detail: string;
    let sendError: unknown = null;
    try {
      detail = await this.#send(
        target,
        (options) => control.write(target.endpoint, patch, before, options),
        signal,
      );
    } catch (error) {
      if (!mayHaveArrived(error)) {
        this.#failed(target, 'settings', actor, error, { patch: safe });
        throw this.#toControlError(target, 'change the settings of', error);
      }
      // The request may have reached the device: never sent again; the read-back decides.
      sendError = error;
      detail = `no clear answer (${messageOf(error)}); read back to see what took`;
    }
    let after: DriverReading;
    try {
      after = await this.#read(target, signal);
    } catch (error) {
      this.#failed(target, 'settings', actor, error, { patch: safe, sent: detail });
      throw new ControlError(
        'MINER_UNREACHABLE',
        `${target.name}: the settings were sent but could not be read back (${messageOf(error)}); check before sending again`,
        { cause: error, minerId: id },
      );
    }
    const { applied, mismatches } = compareReadBack(patch, after.settings);
    if (sendError !== null && applied.length === 0) {
      this.#failed(target, 'settings', actor, sendError, {
        patch: safe,
        before: before.settings,
        after: after.settings,
      });
      throw this.#toControlError(target, 'change the settings of', sendError);
    }
    const restartRequired = applied.some((field) => after.capabilities.restartRequiredFor.includes(field));
    const ok = mismatches.length === 0;
    this.#report(id, 'settings', true, actor, {
      severity: ok ? 'info' : 'warning',
      message: ok
        ? `${target.name}: ${applied.join(', ')} changed by ${actor}${restartRequired ? ' (takes effect after a restart)' : ''}`
        : `${target.name}: settings by ${actor} did not all take: ${mismatches.map((m) => m.field).join(', ')}`,
      applied,
      data: {
        actor,
        patch: safe,
        before: before.settings,
        after: after.settings,
        applied,
        mismatches,
        restartRequired,
        detail,
      },
    });
    this.#deps.pollSoon?.(id);
    return { applied, mismatches, readBack: after.settings, restartRequired };
  }

  pause(id: string, actor: Actor, signal?: AbortSignal): Promise<CommandResult> {
    return this.#command(id, 'pause', actor, signal);
  }

  resume(id: string, actor: Actor, signal?: AbortSignal): Promise<CommandResult> {
    return this.#command(id, 'resume', actor, signal);
  }

  identify(id: string, actor: Actor, signal?: AbortSignal): Promise<CommandResult> {
    return this.#command(id, 'identify', actor, signal);
  }

  async restart(id: string, actor: Actor): Promise<CommandResult> {
    this.#deps.target(id);
    // The restart's events (requested, confirmed) come from the state machine, naming the actor.
    const status = await this.#deps.restart(id, actor);
    return { command: 'restart', detail: status.detail };
  }

  async #command(
    id: string,
    command: DeviceCommand,
    actor: Actor,
    signal?: AbortSignal,
  ): Promise<CommandResult> {
    const target = this.#deps.target(id);
    const reading = await this.#read(target, signal);
    checkCommand(command, reading.capabilities);
    const control = target.control as DriverControl;
    let detail: string;
    try {
      detail = await this.#send(
        target,
        (options) => control.command(target.endpoint, command, options),
        signal,
      );
    } catch (error) {
      // Pause, resume and identify are safe to leave unconfirmed when the answer was lost after
      // sending: the next poll shows the state. They are never sent twice (identify toggles).
      if (!mayHaveArrived(error)) {
        this.#failed(target, command, actor, error, {});
        throw this.#toControlError(target, command, error);
      }
      detail = `no clear answer (${messageOf(error)}); the next poll shows whether it took`;
    }
    this.#report(id, command, true, actor, {
      severity: 'info',
      message: `${target.name}: ${command} by ${actor}: ${detail}`,
      data: { actor, command, before: reading.settings, detail },
    });
    if (command !== 'identify') this.#deps.pollSoon?.(id);
    return { command, detail };
  }

  /** Reads through the breaker; a read is safe to repeat, so the transport may retry once. */
  async #read(target: ControlTarget, signal: AbortSignal | undefined): Promise<DriverReading> {
    const control = target.control;
    if (control === null) {
      throw new UnsupportedCapabilityError(
        'settings',
        `${target.name}: this kind of miner offers no control`,
        {
          minerId: target.id,
        },
      );
    }
    try {
      return await this.#deps
        .breakerOf(target.id)
        .execute(() => control.read(target.endpoint, this.#callOptions(signal, 2)));
    } catch (error) {
      throw this.#toControlError(target, 'read the settings of', error);
    }
  }

  /** Sends once through the breaker; again only when the connection failed before sending. */
  #send(
    target: ControlTarget,
    send: (options: CallOptions) => Promise<string>,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    return retry(() => send(this.#callOptions(signal, 1)), {
      circuitBreaker: this.#deps.breakerOf(target.id),
      isRetryable: failedBeforeSending,
      maxAttempts: this.#settings.maxSendAttempts,
      baseDelayMs: 500,
      jitter: 'none',
      clock: this.#deps.clock,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  #callOptions(signal: AbortSignal | undefined, maxAttempts: number): CallOptions {
    return { timeoutMs: this.#settings.timeoutMs, maxAttempts, ...(signal === undefined ? {} : { signal }) };
  }

  #failed(
    target: ControlTarget,
    command: ControlCommandName,
    actor: Actor,
    error: unknown,
    data: Readonly<Record<string, unknown>>,
  ): void {
    this.#report(target.id, command, false, actor, {
      severity: 'warning',
      message: `${target.name}: ${command} by ${actor} failed: ${messageOf(error)}`,
      data: { actor, command, error: messageOf(error), ...data },
    });
  }

  #report(
    minerId: string,
    command: ControlCommandName,
    ok: boolean,
    actor: Actor,
    event: {
      readonly severity: Severity;
      readonly message: string;
      readonly data: Readonly<Record<string, unknown>>;
      readonly applied?: ControlOutcome['applied'];
    },
  ): void {
    this.#deps.report(minerId, {
      kind: 'command_outcome',
      command,
      ok,
      actor,
      severity: event.severity,
      message: event.message,
      data: event.data,
      applied: event.applied ?? [],
    });
  }

  #toControlError(target: ControlTarget, what: string, error: unknown): ControlError {
    if (error instanceof ControlError) return error;
    const options = { cause: error, minerId: target.id };
    if (isCircuitOpenError(error)) {
      return new ControlBreakerOpenError(
        `${target.name} is not answering: circuit breaker ${error.breakerName} is open; try again in ${Math.ceil(error.retryAfterMs / 1000)} s`,
        error.retryAfterMs,
        options,
      );
    }
    if (isHttpStatusError(error) && (error.status === 401 || error.status === 403)) {
      return new ControlError(
        'MINER_REFUSED',
        `${target.name} refused to ${what.split(' ')[0]} (HTTP ${error.status}): it needs credentials, or allows only its local network`,
        options,
      );
    }
    if (isHttpStatusError(error) && error.status >= 400 && error.status < 500) {
      return new ControlError(
        'MINER_REFUSED',
        `${target.name} refused: HTTP ${error.status} (${messageOf(error)})`,
        options,
      );
    }
    if (isMinerAccessDeniedError(error)) {
      return new ControlError(
        'MINER_REFUSED',
        `${target.name} refused the privileged command: allow this host in its API (cgminer --api-allow W:<address>)`,
        options,
      );
    }
    if (isMinerError(error)) {
      return new ControlError(
        'MINER_REFUSED',
        `${target.name} did not accept it: ${messageOf(error)}`,
        options,
      );
    }
    return new ControlError(
      'MINER_UNREACHABLE',
      `Could not ${what} ${target.name}: ${messageOf(error)}`,
      options,
    );
  }
}

/** True when a failed send may still have reached the device (a timeout or drop after sending). */
function mayHaveArrived(error: unknown): boolean {
  if (isCircuitOpenError(error) || failedBeforeSending(error)) return false;
  if (isHttpStatusError(error) || isMinerError(error)) return false;
  if (error instanceof ControlError) return false;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'MINER_CONNECTION' || code === 'MINER_TIMEOUT';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
