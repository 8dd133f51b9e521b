/**
 * How a device's settings differ from the desired ones: pure. Only the fields the desired state
 * names are compared, and only where the device reports them (a null reading is no evidence).
 * Pools compare by url and user in order (passwords are never read back).
 */
import type { FleetSettings } from '../actions/settingsSchema.js';

export interface DriftField {
  readonly field: 'frequencyMhz' | 'coreVoltageMv' | 'fan' | 'pools';
  readonly wanted: unknown;
  readonly got: unknown;
}

/** What can be compared: the control interface's DeviceSettings, or what a poll's sample says. */
export interface ObservedSettings {
  readonly frequencyMhz?: number | null;
  readonly coreVoltageMv?: number | null;
  readonly fan?: FleetSettings['fan'] | null;
  readonly pools?: readonly { readonly url: string; readonly user: string }[] | null;
}

function sameFan(wanted: NonNullable<FleetSettings['fan']>, got: NonNullable<FleetSettings['fan']>): boolean {
  if (wanted.mode !== got.mode) return false;
  if (wanted.mode === 'manual' && got.mode === 'manual') return wanted.percent === got.percent;
  if (wanted.mode === 'auto' && got.mode === 'auto') {
    return wanted.targetTempC === undefined || wanted.targetTempC === got.targetTempC;
  }
  return false;
}

export function driftOf(desired: FleetSettings, observed: ObservedSettings): DriftField[] {
  const drift: DriftField[] = [];
  if (desired.frequencyMhz !== undefined && observed.frequencyMhz != null) {
    if (observed.frequencyMhz !== desired.frequencyMhz) {
      drift.push({ field: 'frequencyMhz', wanted: desired.frequencyMhz, got: observed.frequencyMhz });
    }
  }
  if (desired.coreVoltageMv !== undefined && observed.coreVoltageMv != null) {
    if (observed.coreVoltageMv !== desired.coreVoltageMv) {
      drift.push({ field: 'coreVoltageMv', wanted: desired.coreVoltageMv, got: observed.coreVoltageMv });
    }
  }
  if (desired.fan !== undefined && observed.fan != null && !sameFan(desired.fan, observed.fan)) {
    drift.push({ field: 'fan', wanted: desired.fan, got: observed.fan });
  }
  if (desired.pools !== undefined && observed.pools != null) {
    const wanted = desired.pools.map(({ url, user }) => ({ url, user }));
    const got = observed.pools.map(({ url, user }) => ({ url, user }));
    // A poll's sample knows the active pool only: compare as many as were observed.
    const compared = wanted.slice(0, got.length);
    if (got.length > 0 && JSON.stringify(compared) !== JSON.stringify(got.slice(0, wanted.length))) {
      drift.push({ field: 'pools', wanted, got });
    }
  }
  return drift;
}
