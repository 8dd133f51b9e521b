/** Which fields of a patch read back as written: the proof that a write took. */
import { samePoolUrl } from '../../miners/control/poolUrl.js';
import type { DeviceSettings, Mismatch, SettingField, SettingsPatch } from './MinerControl.js';
import { redactPatch } from './redact.js';

export interface Comparison {
  readonly applied: SettingField[];
  readonly mismatches: Mismatch[];
}

function fieldMatches(field: SettingField, patch: SettingsPatch, got: DeviceSettings): boolean {
  switch (field) {
    case 'frequencyMhz':
      // AxeOS keeps the frequency as a float (v2.14); half a MHz is the same setting.
      return got.frequencyMhz !== null && Math.abs(got.frequencyMhz - (patch.frequencyMhz as number)) < 0.5;
    case 'coreVoltageMv':
      return got.coreVoltageMv !== null && Math.abs(got.coreVoltageMv - (patch.coreVoltageMv as number)) < 1;
    case 'hostname':
      return got.hostname === patch.hostname;
    case 'workMode':
      return got.workMode === patch.workMode;
    case 'fan': {
      const want = patch.fan;
      const have = got.fan;
      // A device that reports only the duty in use (an Avalon) confirms a fixed duty by it; its
      // automatic mode cannot be told apart from a duty and stays unconfirmed.
      if (want?.mode === 'manual' && have === null) return got.fanPercent === want.percent;
      if (want === undefined || have === null || have.mode !== want.mode) return false;
      if (want.mode === 'manual') return have.mode === 'manual' && have.percent === want.percent;
      return (
        want.targetTempC === undefined || (have.mode === 'auto' && have.targetTempC === want.targetTempC)
      );
    }
    case 'pools': {
      const want = patch.pools ?? [];
      return (
        got.pools.length === want.length &&
        want.every((pool, i) => {
          const have = got.pools[i];
          return have !== undefined && samePoolUrl(have.url, pool.url) && have.user === pool.user;
        })
      );
    }
  }
}

export function compareReadBack(patch: SettingsPatch, got: DeviceSettings): Comparison {
  const applied: SettingField[] = [];
  const mismatches: Mismatch[] = [];
  const safe = redactPatch(patch);
  for (const field of Object.keys(patch) as SettingField[]) {
    if (patch[field] === undefined) continue;
    if (fieldMatches(field, patch, got)) applied.push(field);
    else mismatches.push({ field, wanted: safe[field], got: got[field] });
  }
  return { applied, mismatches };
}
