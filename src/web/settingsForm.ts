/**
 * The device settings form as plain values: filled from what the device reports, turned back
 * into a PATCH holding only what the user changed. Ranges are not checked here: the server checks
 * them against this device and its 400 names the field, which the form shows beside it.
 */
import type { Capabilities, DeviceSettings, SettingField, SettingsPatch } from './types.js';

export interface PoolRow {
  readonly url: string;
  readonly user: string;
  /** Write-only: empty keeps the password the device has. */
  readonly password: string;
}

export interface SettingsForm {
  readonly frequencyMhz: string;
  readonly coreVoltageMv: string;
  readonly fanMode: 'auto' | 'manual';
  readonly targetTempC: string;
  readonly fanPercent: string;
  readonly pools: readonly PoolRow[];
  readonly hostname: string;
  /** The work mode's number as text; empty where the device has none. */
  readonly workMode: string;
}

/** A problem found before sending, or named by the server's answer. */
export interface FieldError {
  readonly field: SettingField | null;
  readonly message: string;
}

const text = (value: number | null | undefined): string => (typeof value === 'number' ? String(value) : '');

export function formOf(settings: DeviceSettings, capabilities: Capabilities): SettingsForm {
  const fan = settings.fan;
  const pools: PoolRow[] = settings.pools.map((p) => ({ url: p.url, user: p.user, password: '' }));
  // One empty row per free place, so a fallback can be added without another button.
  const places = capabilities.pools?.max ?? pools.length;
  while (pools.length < places) pools.push({ url: '', user: '', password: '' });
  return {
    frequencyMhz: text(settings.frequencyMhz),
    coreVoltageMv: text(settings.coreVoltageMv),
    fanMode: fan?.mode ?? 'auto',
    targetTempC: text(fan?.mode === 'auto' ? fan.targetTempC : null),
    // A device that says only the duty in use (an Avalon) starts a fixed duty from that duty.
    fanPercent: text(fan?.mode === 'manual' ? fan.percent : fan === null ? settings.fanPercent : null),
    pools,
    hostname: settings.hostname ?? '',
    workMode: text(settings.workMode),
  };
}

function number(field: SettingField, label: string, raw: string): number | FieldError {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value)) return { field, message: `${label}: a number` };
  return value;
}

const isError = (value: unknown): value is FieldError =>
  typeof value === 'object' && value !== null && 'message' in value;

/**
 * The PATCH for what differs from the device's settings, or the first field that is not even a
 * number. Fields the device cannot set are never included.
 */
export function patchOf(
  form: SettingsForm,
  settings: DeviceSettings,
  capabilities: Capabilities,
): SettingsPatch | FieldError {
  const patch: {
    frequencyMhz?: number;
    coreVoltageMv?: number;
    fan?: NonNullable<SettingsPatch['fan']>;
    pools?: NonNullable<SettingsPatch['pools']>;
    hostname?: string;
    workMode?: number;
  } = {};
  if (capabilities.frequencyMhz !== null && form.frequencyMhz !== text(settings.frequencyMhz)) {
    const value = number('frequencyMhz', 'Frequency', form.frequencyMhz);
    if (isError(value)) return value;
    patch.frequencyMhz = value;
  }
  if (capabilities.coreVoltageMv !== null && form.coreVoltageMv !== text(settings.coreVoltageMv)) {
    const value = number('coreVoltageMv', 'Core voltage', form.coreVoltageMv);
    if (isError(value)) return value;
    patch.coreVoltageMv = value;
  }
  if (capabilities.fan !== null) {
    const before = formOf(settings, capabilities);
    const changed =
      form.fanMode !== before.fanMode ||
      (form.fanMode === 'auto'
        ? form.targetTempC !== before.targetTempC
        : form.fanPercent !== before.fanPercent);
    if (changed && form.fanMode === 'manual') {
      const percent = number('fan', 'Fan %', form.fanPercent);
      if (isError(percent)) return percent;
      patch.fan = { mode: 'manual', percent };
    } else if (changed) {
      if (form.targetTempC.trim() === '' || capabilities.fan.targetTempC === null) {
        patch.fan = { mode: 'auto' };
      } else {
        const targetTempC = number('fan', 'Target temperature', form.targetTempC);
        if (isError(targetTempC)) return targetTempC;
        patch.fan = { mode: 'auto', targetTempC };
      }
    }
  }
  if (capabilities.pools !== null) {
    const rows = form.pools
      .map((p) => ({ url: p.url.trim(), user: p.user.trim(), password: p.password }))
      .filter((p) => p.url !== '' || p.user !== '');
    const incomplete = rows.findIndex((p) => p.url === '' || p.user === '');
    if (incomplete >= 0) {
      return { field: 'pools', message: `Pool ${incomplete + 1}: give both the URL and the user` };
    }
    const same =
      rows.length === settings.pools.length &&
      rows.every(
        (p, i) => p.url === settings.pools[i]?.url && p.user === settings.pools[i]?.user && p.password === '',
      );
    if (!same) {
      if (rows.length === 0) return { field: 'pools', message: 'Pools: keep at least one pool' };
      patch.pools = rows.map((p) => (p.password === '' ? { url: p.url, user: p.user } : p));
    }
  }
  if (capabilities.hostname !== null && form.hostname.trim() !== (settings.hostname ?? '')) {
    patch.hostname = form.hostname.trim();
  }
  if (capabilities.workModes !== null && form.workMode !== '' && form.workMode !== text(settings.workMode)) {
    patch.workMode = Number(form.workMode);
  }
  return patch;
}

const FIELD_IN_MESSAGE = /\b(frequencyMhz|coreVoltageMv|fan|pools|hostname|workMode)\b/;

/** Which field the server's error names (`frequencyMhz 900 is outside ...`, `body.pools/0/url ...`). */
export function fieldOfMessage(message: string): SettingField | null {
  const match = FIELD_IN_MESSAGE.exec(message);
  return match === null ? null : (match[1] as SettingField);
}
