/**
 * The settings a fleet action, a profile or a desired-state rule may ask of many miners at once:
 * DESIGN.md's settings (`frequencyMhz`, `coreVoltageMv`, `fan`, `pools`) without `hostname`,
 * which names one device and so makes no sense for a group.
 */
import Type, { type Static } from 'typebox';
import { MAX_FLEET_POOLS } from './poolLimit.js';

export const PoolSetting = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 300, description: 'e.g. `stratum+tcp://solo.example:3333`' }),
    user: Type.String({
      minLength: 1,
      maxLength: 300,
      description: 'Pool user, usually `<address>.<worker>`.',
    }),
    password: Type.Optional(
      Type.String({ maxLength: 300, description: 'Write-only: never shown back or logged.' }),
    ),
  },
  { additionalProperties: false },
);

export const FanSetting = Type.Union([
  Type.Object(
    {
      mode: Type.Literal('auto'),
      targetTempC: Type.Optional(Type.Number({ minimum: 30, maximum: 90 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { mode: Type.Literal('manual'), percent: Type.Number({ minimum: 0, maximum: 100 }) },
    { additionalProperties: false },
  ),
]);

export const FleetSettings = Type.Object(
  {
    frequencyMhz: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 5000 })),
    coreVoltageMv: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 5000 })),
    fan: Type.Optional(FanSetting),
    pools: Type.Optional(
      Type.Array(PoolSetting, { minItems: 1, maxItems: MAX_FLEET_POOLS, description: 'Primary first.' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export type PoolSetting = Static<typeof PoolSetting>;
export type FanSetting = Static<typeof FanSetting>;
export type FleetSettings = Static<typeof FleetSettings>;

/** The settings as they may be shown: pool passwords are write-only. */
export function withoutPasswords(settings: FleetSettings): FleetSettings {
  if (settings.pools === undefined) return settings;
  return { ...settings, pools: settings.pools.map(({ url, user }) => ({ url, user })) };
}
