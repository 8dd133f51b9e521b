/** Miners named in the file: added at start unless already watched. */
import Type, { type Static } from 'typebox';
import { MinerHost, MinerKindOrAuto, MinerName, MinerPort } from '../../schema/minerInput.js';

export const MinerSeed = Type.Object(
  {
    host: MinerHost,
    port: Type.Optional(MinerPort),
    kind: Type.Optional(MinerKindOrAuto),
    name: Type.Optional(MinerName),
  },
  { additionalProperties: false, 'x-expected': 'an object like { host: "192.168.1.40" }' },
);
export type MinerSeed = Static<typeof MinerSeed>;

export const minerSettings = {
  miners: Type.Array(MinerSeed, {
    default: [],
    description: 'Miners to watch, each `{ host, port?, kind?, name? }`; `kind` defaults to auto-detection.',
  }),
};
