/**
 * What each miner can be told to do, for the entities Home Assistant is offered: its settings and
 * capabilities read once through MinerControl (so through the miner's one breaker) when the bridge
 * first sees it, again after a restart or a firmware change, never on every poll. A failed read
 * is tried again after `retryMs`; a family that offers no control is not asked again.
 */

import type { DeviceSettings, SettingsReading } from '../miners/control/settings.js';
import { isUnsupportedCapabilityError, type MinerControl } from '../monitor/control/MinerControl.js';

export type SettingsControl = Pick<MinerControl, 'pause' | 'resume' | 'readSettings' | 'applySettings'>;

interface Entry {
  /** What the reading belongs to (model and firmware): a new one means read again. */
  readonly key: string;
  readonly reading: SettingsReading | null;
  /** A read is on its way. */
  readonly reading$: boolean;
  /** When a failed read may be tried again; null when no retry is due (read, or no control). */
  readonly retryAt: number | null;
}

export interface CapabilityReaderOptions {
  readonly control: SettingsControl;
  readonly now: () => number;
  /** Time before a failed read is tried again (ms). */
  readonly retryMs: number;
  /** Told when a reading arrived (or changed): the miner's entities follow it. */
  readonly onChange: (minerId: string, reading: SettingsReading | null) => void;
  /** Told when a read failed, with why. */
  readonly onError?: (minerId: string, error: unknown) => void;
}

export class CapabilityReader {
  readonly #o: CapabilityReaderOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(options: CapabilityReaderOptions) {
    this.#o = options;
  }

  /**
   * The reading known for this miner, or null while none is. Starts a read when the miner is new,
   * its key changed, or a failed read is due again; meanwhile the previous reading stands.
   */
  get(minerId: string, key: string): SettingsReading | null {
    const entry = this.#entries.get(minerId);
    if (entry !== undefined && entry.key === key) {
      if (!entry.reading$ && entry.retryAt !== null && this.#o.now() >= entry.retryAt)
        this.#read(minerId, key);
      return entry.reading;
    }
    this.#read(minerId, key);
    return entry?.reading ?? null;
  }

  /** Known without starting a read: what a command is checked against. */
  peek(minerId: string): SettingsReading | null {
    return this.#entries.get(minerId)?.reading ?? null;
  }

  /** Reads again (after a restart: firmware and menus may have changed). */
  refresh(minerId: string): void {
    const entry = this.#entries.get(minerId);
    if (entry !== undefined && !entry.reading$) this.#read(minerId, entry.key);
  }

  /** A read-back after a write: the settings the entities show, without asking the device again. */
  updateSettings(minerId: string, settings: DeviceSettings): void {
    const entry = this.#entries.get(minerId);
    if (entry?.reading == null) return;
    const reading = { ...entry.reading, settings };
    this.#entries.set(minerId, { ...entry, reading });
    this.#o.onChange(minerId, reading);
  }

  delete(minerId: string): void {
    this.#entries.delete(minerId);
  }

  #read(minerId: string, key: string): void {
    const previous = this.#entries.get(minerId)?.reading ?? null;
    this.#entries.set(minerId, { key, reading: previous, reading$: true, retryAt: null });
    this.#o.control.readSettings(minerId).then(
      (reading) => {
        if (this.#entries.get(minerId)?.key !== key) return;
        this.#entries.set(minerId, { key, reading, reading$: false, retryAt: null });
        this.#o.onChange(minerId, reading);
      },
      (error: unknown) => {
        if (this.#entries.get(minerId)?.key !== key) return;
        // A family with no control never will have any: not asked again until its key changes.
        const never = isUnsupportedCapabilityError(error) && error.capability === 'settings';
        const retryAt = never ? null : this.#o.now() + this.#o.retryMs;
        this.#entries.set(minerId, { key, reading: never ? null : previous, reading$: false, retryAt });
        if (!never) this.#o.onError?.(minerId, error);
        if (never && previous !== null) this.#o.onChange(minerId, null);
      },
    );
  }
}
