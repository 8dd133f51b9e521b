/**
 * What a driver offers for control: read the device's settings and capabilities, send a checked
 * patch once, and send a command once. The control service (src/monitor/control) does the checking,
 * the breaker, the read-back and the events; a driver only speaks the device's language.
 */

import type { CallOptions, MinerEndpoint } from '../MinerDriver.js';
import type { SettingsPatch, SettingsReading } from './settings.js';

export type DeviceCommand = 'pause' | 'resume' | 'identify';

/** A reading with what the device sent, which `write` needs to speak the release's names. */
export interface DriverReading extends SettingsReading {
  readonly raw: unknown;
}

export interface DriverControl {
  /** The settings as the device reports them, with what this model and firmware can change. */
  read(endpoint: MinerEndpoint, options?: CallOptions): Promise<DriverReading>;
  /**
   * Sends the patch once (no transport retry), already checked against `current.capabilities`.
   * Resolves with what the device said; the caller reads back to see what took.
   */
  write(
    endpoint: MinerEndpoint,
    patch: SettingsPatch,
    current: DriverReading,
    options?: CallOptions,
  ): Promise<string>;
  /** Sends the command once; resolves with the device's answer in words. */
  command(endpoint: MinerEndpoint, command: DeviceCommand, options?: CallOptions): Promise<string>;
}
