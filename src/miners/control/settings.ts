/**
 * What a device's settings are, in one model every driver speaks: the values it reports, the
 * changes it can be asked for, and what its model and firmware let us change. The drivers
 * (src/miners/control) translate this to each device's own API; the monitor's MinerControl
 * (src/monitor/control) checks, sends and reads back through it.
 */

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
  /** One of the device's work modes (`Capabilities.workModes`), e.g. an Avalon's 0 Low .. 2 High. */
  readonly workMode?: number;
}

/** The fields a patch may hold, declared once. */
export const SETTING_FIELDS = Object.freeze([
  'frequencyMhz',
  'coreVoltageMv',
  'fan',
  'pools',
  'hostname',
  'workMode',
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
  /**
   * The duty the fan runs at now, in percent, where the device says. An Avalon reports this and
   * not whether its fan is automatic, so a fixed duty is read back from here.
   */
  readonly fanPercent: number | null;
  /** Primary first. */
  readonly pools: readonly PoolReading[];
  readonly hostname: string | null;
  /** The work mode in use (a value of `Capabilities.workModes`); null where the device has none. */
  readonly workMode: number | null;
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

/** One entry of a device's work-mode menu: the number the device takes, and its name where known. */
export interface WorkModeOption {
  readonly value: number;
  /** e.g. `Low`, `Eco`; null where the firmware's name for it is not known. */
  readonly name: string | null;
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
  /** The work modes the device offers (an Avalon's `workmode`), in order; null where it has none. */
  readonly workModes: readonly WorkModeOption[] | null;
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
