/**
 * The settings a fleet action or a profile carries (frequency, voltage, fan, pools; never a
 * hostname), as a form: blank fields are left out, so only what the user filled in is sent.
 * Each miner's own ranges are checked by the server when the action reaches it.
 */
import { MAX_FLEET_POOLS } from '../monitor/actions/poolLimit.js';
import type { FieldError, PoolRow } from './settingsForm.js';
import type { FleetSettings } from './types.js';

export interface FleetSettingsForm {
  readonly frequencyMhz: string;
  readonly coreVoltageMv: string;
  readonly fan: 'keep' | 'auto' | 'manual';
  readonly targetTempC: string;
  readonly fanPercent: string;
  /** Primary first, then up to two fallbacks; rows left blank are dropped. */
  readonly pools: readonly PoolRow[];
}

const BLANK_POOL: PoolRow = { url: '', user: '', password: '' };

export const EMPTY_FLEET_SETTINGS: FleetSettingsForm = {
  frequencyMhz: '',
  coreVoltageMv: '',
  fan: 'keep',
  targetTempC: '',
  fanPercent: '',
  pools: Array.from({ length: MAX_FLEET_POOLS }, () => BLANK_POOL),
};

function number(raw: string, field: 'frequencyMhz' | 'coreVoltageMv' | 'fan', label: string) {
  const value = Number(raw.trim());
  return Number.isFinite(value) && value > 0
    ? value
    : ({ field, message: `${label}: a positive number` } as const);
}

export function fleetSettingsOf(form: FleetSettingsForm): FleetSettings | FieldError {
  const out: {
    frequencyMhz?: number;
    coreVoltageMv?: number;
    fan?: NonNullable<FleetSettings['fan']>;
    pools?: NonNullable<FleetSettings['pools']>;
  } = {};
  if (form.frequencyMhz.trim() !== '') {
    const value = number(form.frequencyMhz, 'frequencyMhz', 'Frequency');
    if (typeof value !== 'number') return value;
    out.frequencyMhz = value;
  }
  if (form.coreVoltageMv.trim() !== '') {
    const value = number(form.coreVoltageMv, 'coreVoltageMv', 'Core voltage');
    if (typeof value !== 'number') return value;
    out.coreVoltageMv = value;
  }
  if (form.fan === 'manual') {
    const percent = Number(form.fanPercent.trim());
    if (form.fanPercent.trim() === '' || !Number.isFinite(percent)) {
      return { field: 'fan', message: 'Fan %: a number from 0 to 100' };
    }
    out.fan = { mode: 'manual', percent };
  } else if (form.fan === 'auto') {
    if (form.targetTempC.trim() === '') out.fan = { mode: 'auto' };
    else {
      const targetTempC = number(form.targetTempC, 'fan', 'Target temperature');
      if (typeof targetTempC !== 'number') return targetTempC;
      out.fan = { mode: 'auto', targetTempC };
    }
  }
  const pools = form.pools
    .map((p) => ({ url: p.url.trim(), user: p.user.trim(), password: p.password }))
    .filter((p) => p.url !== '' || p.user !== '');
  const incomplete = pools.findIndex((p) => p.url === '' || p.user === '');
  if (incomplete >= 0)
    return { field: 'pools', message: `Pool ${incomplete + 1}: give both the URL and the user` };
  if (pools.length > 0) out.pools = pools.map((p) => (p.password === '' ? { url: p.url, user: p.user } : p));
  if (Object.keys(out).length === 0) return { field: null, message: 'Give at least one setting to change' };
  return out;
}

/** A settings object in a few words, for lists and confirmations (never a password). */
export function describeSettings(settings: FleetSettings): string {
  const parts: string[] = [];
  if (settings.frequencyMhz !== undefined) parts.push(`${settings.frequencyMhz} MHz`);
  if (settings.coreVoltageMv !== undefined) parts.push(`${settings.coreVoltageMv} mV`);
  if (settings.fan !== undefined) {
    parts.push(
      settings.fan.mode === 'manual'
        ? `fan ${settings.fan.percent}%`
        : `fan auto${settings.fan.targetTempC === undefined ? '' : ` to ${settings.fan.targetTempC} °C`}`,
    );
  }
  if (settings.pools !== undefined) parts.push(`pool ${settings.pools.map((p) => p.url).join(', then ')}`);
  return parts.join(', ');
}
