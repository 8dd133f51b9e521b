/**
 * Desired state (DESIGN.md): the config's `fleet` rules say what miners with some tags should
 * look like. Every settings read, and every poll's pool, is compared with them; a difference
 * raises `settings_drift` with the diff (a changed pool is a security event), once per distinct
 * difference, and with `enforce: revert` the desired settings are written back through the
 * control interface as `desired`, at most once per `revertCooldownMs` per miner so that a device
 * that refuses them is not hammered.
 */

import type { Clock } from '../../resilience/clock.js';
import type { FleetSettings } from '../actions/settingsSchema.js';
import { type DriftField, driftOf, type ObservedSettings } from './driftOf.js';

export interface DesiredRuleConfig {
  readonly match: { readonly tags: readonly string[] };
  readonly settings: FleetSettings;
  readonly enforce?: 'alert' | 'revert';
}

export interface DriftReport {
  readonly minerId: string;
  readonly drift: readonly DriftField[];
  /** A pool differs: someone else may be taking the hashrate. */
  readonly security: boolean;
  readonly enforce: 'alert' | 'revert';
}

export interface DesiredStateOptions {
  readonly rules: readonly DesiredRuleConfig[];
  readonly tagsOf: (minerId: string) => readonly string[];
  readonly clock: Pick<Clock, 'now'>;
  /** Records the event and raises the alert. */
  readonly onDrift: (report: DriftReport) => void;
  /** Writes settings back (enforce: revert); rejects when it could not. */
  readonly revert: (minerId: string, settings: FleetSettings) => Promise<unknown>;
  /** Told when a revert fails. @default nothing */
  readonly onRevertError?: (minerId: string, error: unknown) => void;
  /** @default 600000 */
  readonly revertCooldownMs?: number;
}

export const DEFAULT_REVERT_COOLDOWN_MS = 600_000;

export class DesiredState {
  readonly #options: DesiredStateOptions;
  readonly #cooldownMs: number;
  /** The last drift reported per miner, so the same difference is told once. */
  readonly #reported = new Map<string, string>();
  readonly #lastRevertAt = new Map<string, number>();

  constructor(options: DesiredStateOptions) {
    this.#options = options;
    this.#cooldownMs = options.revertCooldownMs ?? DEFAULT_REVERT_COOLDOWN_MS;
    if (!(this.#cooldownMs >= 0)) throw new RangeError('Expected `revertCooldownMs` to be >= 0.');
  }

  get enabled(): boolean {
    return this.#options.rules.length > 0;
  }

  /** The settings the miner should have (later rules win field by field) and how strictly, or null. */
  desiredFor(minerId: string): { settings: FleetSettings; enforce: 'alert' | 'revert' } | null {
    const tags = new Set(this.#options.tagsOf(minerId));
    let settings: FleetSettings | null = null;
    let enforce: 'alert' | 'revert' = 'alert';
    for (const rule of this.#options.rules) {
      if (!rule.match.tags.some((tag) => tags.has(tag))) continue;
      settings = { ...(settings ?? {}), ...rule.settings };
      if (rule.enforce === 'revert') enforce = 'revert';
    }
    return settings === null ? null : { settings, enforce };
  }

  /** Compares what was read from a miner with what it should be. */
  observe(minerId: string, observed: ObservedSettings): DriftField[] {
    const desired = this.desiredFor(minerId);
    if (desired === null) return [];
    const drift = driftOf(desired.settings, observed);
    if (drift.length === 0) {
      this.#reported.delete(minerId);
      return drift;
    }
    const signature = JSON.stringify(drift);
    if (this.#reported.get(minerId) !== signature) {
      this.#reported.set(minerId, signature);
      this.#options.onDrift({
        minerId,
        drift,
        security: drift.some((d) => d.field === 'pools'),
        enforce: desired.enforce,
      });
    }
    if (desired.enforce === 'revert') this.#revert(minerId, desired.settings, drift);
    return drift;
  }

  #revert(minerId: string, settings: FleetSettings, drift: readonly DriftField[]): void {
    const now = this.#options.clock.now();
    const last = this.#lastRevertAt.get(minerId);
    if (last !== undefined && now - last < this.#cooldownMs) return;
    this.#lastRevertAt.set(minerId, now);
    // Only the fields that drifted are written.
    const patch = Object.fromEntries(drift.map((d) => [d.field, settings[d.field]])) as FleetSettings;
    this.#options
      .revert(minerId, patch)
      .catch((error: unknown) => this.#options.onRevertError?.(minerId, error));
  }
}
