/**
 * The control API's shapes as TypeBox schemas, written once: the settings routes use them, and
 * fleet actions (`POST /api/actions` settings) can reuse `SettingsPatchSchema`. Types match
 * MinerControl.ts; the device's own ranges are checked later, against its capabilities.
 */
import Type, { type Static, type TSchema, type TUnsafe } from 'typebox';

/** An array the handler may hand over read-only (as MinerControl's results are). */
const ReadList = <S extends TSchema>(items: S): TUnsafe<readonly Static<S>[]> =>
  Type.Unsafe<readonly Static<S>[]>(Type.Array(items));

export const FanSettingSchema = Type.Union([
  Type.Object(
    { mode: Type.Literal('auto'), targetTempC: Type.Optional(Type.Number({ minimum: 0, maximum: 120 })) },
    { additionalProperties: false },
  ),
  Type.Object(
    { mode: Type.Literal('manual'), percent: Type.Integer({ minimum: 0, maximum: 100 }) },
    { additionalProperties: false },
  ),
]);

export const PoolSettingSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 256 }),
    user: Type.String({ maxLength: 256 }),
    password: Type.Optional(Type.String({ maxLength: 256, writeOnly: true })),
  },
  { additionalProperties: false },
);

export const SettingsPatchSchema = Type.Object(
  {
    frequencyMhz: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000 })),
    coreVoltageMv: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000 })),
    fan: Type.Optional(FanSettingSchema),
    pools: Type.Optional(Type.Array(PoolSettingSchema, { minItems: 1, maxItems: 8 })),
    hostname: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
    workMode: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

const FanReadingSchema = Type.Union([
  Type.Object({ mode: Type.Literal('auto'), targetTempC: Type.Optional(Type.Number()) }),
  Type.Object({ mode: Type.Literal('manual'), percent: Type.Number() }),
  Type.Null(),
]);

export const DeviceSettingsSchema = Type.Object({
  frequencyMhz: NullableNumber,
  coreVoltageMv: NullableNumber,
  fan: FanReadingSchema,
  fanPercent: NullableNumber,
  pools: ReadList(
    Type.Object({
      url: Type.String(),
      user: Type.String(),
      status: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  hostname: Type.Union([Type.String(), Type.Null()]),
  workMode: NullableNumber,
  paused: Type.Union([Type.Boolean(), Type.Null()]),
});

const NumericCapabilitySchema = Type.Union([
  Type.Object({
    min: Type.Number(),
    max: Type.Number(),
    options: ReadList(Type.Number()),
    default: NullableNumber,
    optionsOnly: Type.Boolean(),
  }),
  Type.Null(),
]);

export const CapabilitiesSchema = Type.Object({
  frequencyMhz: NumericCapabilitySchema,
  coreVoltageMv: NumericCapabilitySchema,
  fan: Type.Union([
    Type.Object({
      auto: Type.Boolean(),
      targetTempC: NumericCapabilitySchema,
      manualPercent: NumericCapabilitySchema,
    }),
    Type.Null(),
  ]),
  pools: Type.Union([Type.Object({ max: Type.Integer() }), Type.Null()]),
  hostname: Type.Union([Type.Object({ maxLength: Type.Integer() }), Type.Null()]),
  workModes: Type.Union([
    ReadList(Type.Object({ value: Type.Integer(), name: Type.Union([Type.String(), Type.Null()]) })),
    Type.Null(),
  ]),
  commands: Type.Object({
    pause: Type.Boolean(),
    resume: Type.Boolean(),
    identify: Type.Boolean(),
    restart: Type.Boolean(),
  }),
  restartRequiredFor: ReadList(Type.String()),
  source: Type.String(),
});

export const SettingsReadingSchema = Type.Object({
  settings: DeviceSettingsSchema,
  capabilities: CapabilitiesSchema,
});

export const ApplyResultSchema = Type.Object({
  applied: ReadList(Type.String()),
  mismatches: ReadList(Type.Object({ field: Type.String(), wanted: Type.Unknown(), got: Type.Unknown() })),
  readBack: DeviceSettingsSchema,
  restartRequired: Type.Boolean(),
});

export const CommandResultSchema = Type.Object({
  command: Type.String(),
  detail: Type.String(),
});
