/** Schedules and desired state: what the fleet should do at set times, and look like always. */
import Type from 'typebox';
import { ACTION_KINDS } from '../../monitor/actions/Action.js';
import { ActionTargetSchema, RolloutSchema } from '../../monitor/actions/schemas.js';
import { FleetSettings } from '../../monitor/actions/settingsSchema.js';
import { WEEKDAYS } from '../../monitor/schedules/wallClock.js';

export const ScheduleConfig = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$',
      'x-expected': 'a name of letters, digits, space, . _ -',
    }),
    at: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', 'x-expected': 'a time HH:MM (24-hour)' }),
    days: Type.Optional(Type.Array(Type.Enum(WEEKDAYS), { uniqueItems: true })),
    timezone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, 'x-expected': 'an IANA zone like Europe/Berlin' }),
    ),
    action: Type.Enum(ACTION_KINDS.filter((kind) => kind !== 'restart')),
    profile: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    target: ActionTargetSchema,
    rollout: Type.Optional(RolloutSchema),
  },
  {
    additionalProperties: false,
    'x-expected': 'an object like { name: night, at: "22:00", action: pause, target: { tags: [garage] } }',
  },
);

export const DesiredRule = Type.Object(
  {
    match: Type.Object(
      { tags: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1 }) },
      { additionalProperties: false },
    ),
    settings: FleetSettings,
    enforce: Type.Optional(Type.Enum(['alert', 'revert'], { description: 'alert (default) or revert' })),
  },
  {
    additionalProperties: false,
    'x-expected': 'an object like { match: { tags: [garage] }, settings: {...}, enforce: alert }',
  },
);

export const fleetSettings = {
  schedules: Type.Array(ScheduleConfig, {
    default: [],
    description:
      'Fleet actions at set times, each `{ name, at: "HH:MM", days?: [mon..sun], timezone?, action: pause|resume|settings, profile?, target, rollout? }`; `settings` applies the saved `profile`. Times are in `timezone` (IANA, default the server\'s own zone, `TZ`).',
  }),
  fleet: Type.Array(DesiredRule, {
    default: [],
    description:
      'Desired state: `{ match: { tags }, settings, enforce: alert|revert }`. A miner whose settings differ raises `settings_drift` (a changed pool is a security alert); `revert` writes the settings back.',
  }),
};
