/** Passwords are write-only: what is logged, stored or returned never holds one. */
import type { SettingsPatch } from './MinerControl.js';

export type RedactedPatch = Omit<SettingsPatch, 'pools'> & {
  readonly pools?: readonly { readonly url: string; readonly user: string; readonly passwordSet: boolean }[];
};

export function redactPatch(patch: SettingsPatch): RedactedPatch {
  const { pools, ...rest } = patch;
  if (pools === undefined) return rest;
  return {
    ...rest,
    pools: pools.map((pool) => ({
      url: pool.url,
      user: pool.user,
      passwordSet: pool.password !== undefined,
    })),
  };
}
