/**
 * A saved settings profile: pools, fan, frequency or voltage under a name, applied to a selection
 * or a tag as a fleet action (`{ action: 'settings', profile: '<name>' }`) or by a schedule.
 */
import Type, { type Static } from 'typebox';
import { FleetSettings } from '../actions/settingsSchema.js';

export const PROFILE_NAME_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';

export const ProfileName = Type.String({
  pattern: PROFILE_NAME_PATTERN,
  description: 'Lower-case letters, digits, `.`, `_` and `-`, up to 64; e.g. `night-pool`.',
});

export const ProfileBody = Type.Object(
  {
    name: ProfileName,
    description: Type.Optional(Type.String({ maxLength: 500 })),
    settings: FleetSettings,
  },
  { additionalProperties: false },
);
export type ProfileInput = Static<typeof ProfileBody>;

export interface Profile extends ProfileInput {
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const ProfileSchema = Type.Object({
  name: Type.String(),
  description: Type.Optional(Type.String()),
  settings: FleetSettings,
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});
