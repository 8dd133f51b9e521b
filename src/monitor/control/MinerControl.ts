/**
 * Acting on one miner: read its settings and what it can change, change some of them (written,
 * read back and compared), pause, resume, identify and restart. The API, the CLI, fleet actions,
 * schedules, desired state and MQTT all go through this one interface, so every command passes the
 * miner's one breaker (`miner_operations:<id>`) and becomes one event saying who asked.
 *
 * This file declares the contract only: types, the interface and its errors.
 */

import type {
  ControlCommand,
  DeviceSettings,
  SettingField,
  SettingsPatch,
  SettingsReading,
} from '../../miners/control/settings.js';

// The device settings model lives with the drivers; it is re-exported here so that the monitor,
// the server and the CLI name one module for everything about control.
export * from '../../miners/control/settings.js';

/**
 * Who asked for a command; recorded with every change.
 * - `api:<client>`: the API, with the client the token holder named (`X-Solowatch-Client`, else `api`)
 * - `cli`, `schedule`, `watchdog`, `mqtt`
 * - `action:<id>`: one step of a fleet action (POST /api/actions)
 * - `desired`: desired state written back (`enforce: revert`)
 */
export type Actor =
  | `api:${string}`
  | 'cli'
  | 'schedule'
  | 'watchdog'
  | 'mqtt'
  | 'desired'
  | `action:${string}`;

/** One field of a patch that did not read back as written. */
export interface Mismatch {
  readonly field: SettingField;
  /** What was asked (passwords removed). */
  readonly wanted: unknown;
  readonly got: unknown;
}

export interface ApplyResult {
  /** The fields that read back as written. */
  readonly applied: readonly SettingField[];
  /** Fields written but not read back as asked (empty when everything took). */
  readonly mismatches: readonly Mismatch[];
  /** The settings read from the device after writing (no passwords). */
  readonly readBack: DeviceSettings;
  /** True when some applied field takes effect only after a restart (see Capabilities). */
  readonly restartRequired: boolean;
}

export interface CommandResult {
  readonly command: ControlCommand;
  /** What the device answered, in words. */
  readonly detail: string;
}

/** Control of single miners. Every method throws a ControlError (or MonitorError MINER_NOT_FOUND). */
export interface MinerControl {
  /** Reads the settings from the device, with its capabilities. */
  readSettings(id: string, signal?: AbortSignal): Promise<SettingsReading>;
  /**
   * Checks the patch against the capabilities (nothing is sent when it fails), writes it once,
   * reads back and compares. A write whose request may have reached the device is not repeated.
   */
  applySettings(id: string, patch: SettingsPatch, actor: Actor, signal?: AbortSignal): Promise<ApplyResult>;
  pause(id: string, actor: Actor, signal?: AbortSignal): Promise<CommandResult>;
  resume(id: string, actor: Actor, signal?: AbortSignal): Promise<CommandResult>;
  identify(id: string, actor: Actor, signal?: AbortSignal): Promise<CommandResult>;
  /** The monitor's restart (cooldown, confirmation by uptime), with who asked. */
  restart(id: string, actor: Actor, signal?: AbortSignal): Promise<CommandResult>;
}

/** Stable codes of control errors; each is an API error code of the same name. */
export type ControlErrorCode =
  | 'UNSUPPORTED'
  | 'INVALID_INPUT'
  | 'BREAKER_OPEN'
  | 'MINER_UNREACHABLE'
  | 'MINER_REFUSED'
  | 'MINER_NOT_FOUND';

export interface ControlErrorOptions {
  readonly cause?: unknown;
  readonly minerId?: string;
}

/** Base of control errors; `code` maps to the API's registry. */
export class ControlError extends Error {
  override readonly name: string = 'ControlError';
  readonly code: ControlErrorCode;
  readonly minerId: string | undefined;

  constructor(code: ControlErrorCode, message: string, options: ControlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.minerId = options.minerId;
  }
}

/** The device lacks a capability (API 422 `UNSUPPORTED`); `capability` names it, e.g. `pause`, `fan.manual`. */
export class UnsupportedCapabilityError extends ControlError {
  override readonly name: string = 'UnsupportedCapabilityError';
  readonly capability: string;

  constructor(capability: string, message: string, options: ControlErrorOptions = {}) {
    super('UNSUPPORTED', message, options);
    this.capability = capability;
  }
}

/** A value outside what the device accepts (API 400 `INVALID_INPUT`), naming the field and the range. */
export class OutOfRangeError extends ControlError {
  override readonly name: string = 'OutOfRangeError';
  /** The patch field, e.g. `frequencyMhz` or `fan.percent`. */
  readonly field: string;
  /** The range or values allowed, in words, e.g. `400-650` or `one of 400, 490, 525`. */
  readonly allowed: string;

  constructor(field: string, allowed: string, message: string, options: ControlErrorOptions = {}) {
    super('INVALID_INPUT', message, options);
    this.field = field;
    this.allowed = allowed;
  }
}

/** The miner's breaker is open (API 503 `BREAKER_OPEN` with `retryAfterMs`); nothing was sent. */
export class ControlBreakerOpenError extends ControlError {
  override readonly name: string = 'ControlBreakerOpenError';
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, options: ControlErrorOptions = {}) {
    super('BREAKER_OPEN', message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

export function isControlError(error: unknown): error is ControlError {
  return error instanceof ControlError;
}
export function isUnsupportedCapabilityError(error: unknown): error is UnsupportedCapabilityError {
  return error instanceof UnsupportedCapabilityError;
}
export function isOutOfRangeError(error: unknown): error is OutOfRangeError {
  return error instanceof OutOfRangeError;
}
export function isControlBreakerOpenError(error: unknown): error is ControlBreakerOpenError {
  return error instanceof ControlBreakerOpenError;
}
