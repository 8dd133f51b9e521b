/**
 * Acting on one miner: read its settings and what it can change, change some of them (written,
 * read back and compared), pause, resume, identify and restart. The API, the CLI, fleet actions,
 * schedules, desired state and MQTT all go through this one interface, so every command passes the
 * miner's one breaker (`miner_operations:<id>`) and becomes one event saying who asked.
 *
 * This file declares the contract only: types, the interface and its errors.
 */

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

/** The fan: the device regulates it (to a target temperature where it offers one), or a fixed duty. */
export type FanSetting =
  | { readonly mode: 'auto'; readonly targetTempC?: number }
  | { readonly mode: 'manual'; readonly percent: number };

/** A pool to write. The password is write-only: it is sent to the device and kept nowhere. */
export interface PoolSetting {
  /** `stratum+tcp://host:port` (also `stratum+ssl://`, `stratum2+tcp://` where the device takes it). */
  readonly url: string;
  readonly user: string;
  readonly password?: string;
}

/** Some settings to change; absent fields are left as they are. */
export interface SettingsPatch {
  readonly frequencyMhz?: number;
  readonly coreVoltageMv?: number;
  readonly fan?: FanSetting;
  /** Primary first, then fallbacks in order. Replaces the device's whole list. */
  readonly pools?: readonly PoolSetting[];
  readonly hostname?: string;
}

/** The fields a patch may hold, declared once. */
export const SETTING_FIELDS = Object.freeze([
  'frequencyMhz',
  'coreVoltageMv',
  'fan',
  'pools',
  'hostname',
] as const);
export type SettingField = (typeof SETTING_FIELDS)[number];

/** A pool as read from the device: never its password. */
export interface PoolReading {
  readonly url: string;
  readonly user: string;
  /** cgminer's pool status (`Alive`, `Dead`, ...) where the device says; else null. */
  readonly status: string | null;
}

/** The device's settings as it reports them now. Passwords are never included. */
export interface DeviceSettings {
  /** Null where the device does not report it. */
  readonly frequencyMhz: number | null;
  readonly coreVoltageMv: number | null;
  readonly fan: FanSetting | null;
  /** Primary first. */
  readonly pools: readonly PoolReading[];
  readonly hostname: string | null;
  /** True while hashing is paused (AxeOS pause, Avalon soft off); null where the device cannot say. */
  readonly paused: boolean | null;
}

/** A number the device accepts: within [min, max], with the values it lists where it lists them. */
export interface NumericCapability {
  readonly min: number;
  readonly max: number;
  /** The firmware's own menu (AxeOS `/api/system/asic` frequencyOptions); empty when it has none. */
  readonly options: readonly number[];
  /** The device's default, where it states one. */
  readonly default: number | null;
  /** True when only `options` are accepted; false when any value in [min, max] is. */
  readonly optionsOnly: boolean;
}

export interface FanCapability {
  /** The device regulates the fan itself. */
  readonly auto: boolean;
  /** The target temperature auto mode aims at, where settable (AxeOS v2.6+ `temptarget`). */
  readonly targetTempC: NumericCapability | null;
  /** A fixed duty in percent, where settable. */
  readonly manualPercent: NumericCapability | null;
}

export interface PoolsCapability {
  /** How many pools the device keeps (primary + fallbacks). */
  readonly max: number;
}

export type ControlCommand = 'pause' | 'resume' | 'identify' | 'restart';

/**
 * What this device (model and firmware) lets us do. A null setting cannot be changed; a false
 * command is not offered. Anything not offered is refused with UnsupportedCapabilityError before
 * anything is sent.
 */
export interface Capabilities {
  readonly frequencyMhz: NumericCapability | null;
  readonly coreVoltageMv: NumericCapability | null;
  readonly fan: FanCapability | null;
  readonly pools: PoolsCapability | null;
  /** Letters, digits and hyphens; the longest the device keeps. */
  readonly hostname: { readonly maxLength: number } | null;
  readonly commands: Readonly<Record<ControlCommand, boolean>>;
  /** Settings that take effect only after a restart on this device. */
  readonly restartRequiredFor: readonly SettingField[];
  /** Where these capabilities come from, e.g. `/api/system/asic` or `table:BM1370`. */
  readonly source: string;
}

export interface SettingsReading {
  readonly settings: DeviceSettings;
  readonly capabilities: Capabilities;
}

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
