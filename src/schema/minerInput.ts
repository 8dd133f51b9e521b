/**
 * The fields a person gives to watch a miner (the API's bodies, the config file's `miners`), each
 * with its limits written once.
 */
import Type, { type Static } from 'typebox';
import { MINER_KINDS } from '../miners/MinerSample.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?';
/** An IPv4 address, or a DNS name that is not all digits and dots (that would be a bad IPv4). */
const HOST_PATTERN = `^(?:${OCTET}(?:\\.${OCTET}){3}|(?=.{1,253}$)(?![\\d.]+$)${LABEL}(?:\\.${LABEL})*\\.?)$`;

/** A miner's address on the network. */
export const MinerHost = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: HOST_PATTERN,
  'x-expected': 'an IPv4 address or host name without a scheme, like 192.168.1.40 or bitaxe.local',
  description: "The miner's address on the network.",
});

export const MinerPort = Type.Integer({
  minimum: 1,
  maximum: 65_535,
  'x-expected': 'a port number from 1 to 65535',
  description: "The miner's API port; its kind's usual port when absent (80 for AxeOS, 4028 for cgminer).",
});

/** How a miner is shown; longer names break the dashboard's table. */
export const MinerName = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '\\S',
  'x-expected': 'a name of 1 to 64 characters, not all spaces',
  description: 'How the miner is shown; its host name when absent.',
});

export const MinerKindOrAuto = Type.Enum([...MINER_KINDS, 'auto'], {
  description: 'Which API the miner speaks; `auto` (or absent) asks the device.',
});

/**
 * A label on a miner. A small charset keeps tags safe in URLs, YAML and MQTT topics without
 * quoting, and short enough for a chip on the dashboard.
 */
export const MinerTag = Type.String({
  minLength: 1,
  maxLength: 32,
  pattern: '^[A-Za-z0-9_.:-]+$',
  'x-expected': 'a tag of 1 to 32 letters, digits, -, _, . or :',
});

export const MAX_TAGS = 20;

/** A miner's whole set of tags: replaced as a whole by PATCH. */
export const MinerTags = Type.Array(MinerTag, {
  maxItems: MAX_TAGS,
  uniqueItems: true,
  'x-expected': `a list of at most ${MAX_TAGS} different tags, each 1 to 32 letters, digits, -, _, . or :`,
  description: "The miner's tags, replacing the ones it had; [] removes them all.",
});

export const CREDENTIALS_EXPECTED =
  'null or { username, password }: a username of 1 to 128 characters without ":", a password of at most 256';

/** The login a device asks for; the password is never echoed in an error. */
export const MinerCredentials = Type.Union(
  [
    Type.Object(
      {
        // HTTP Basic joins them with ':', so a username cannot hold one.
        username: Type.String({
          minLength: 1,
          maxLength: 128,
          pattern: '^[^:]+$',
          'x-expected': 'a username of 1 to 128 characters without ":"',
        }),
        password: Type.String({ maxLength: 256, 'x-secret': true }),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  {
    // A refusal of the whole object would print it, password and all.
    'x-secret': true,
    'x-expected': CREDENTIALS_EXPECTED,
    description:
      "The device's own login (HTTP Basic on AxeOS builds that ask for one); null removes it. Never shown back.",
  },
);

/** A day at most: far below setTimeout's 2^31-1 ms, past which Node fires after 1 ms. */
export const IntervalMs = Type.Integer({ minimum: 1000, maximum: 86_400_000 });

/** What `POST /api/miners` (and `Monitor.addMiner`) takes. */
export const AddMinerInput = Type.Object(
  {
    host: MinerHost,
    port: Type.Optional(MinerPort),
    kind: Type.Optional(MinerKindOrAuto),
    name: Type.Optional(MinerName),
    tags: Type.Optional(MinerTags),
    credentials: Type.Optional(MinerCredentials),
    verify: Type.Optional(
      Type.Boolean({ description: 'Reach the device (with retries) before storing it; true when absent.' }),
    ),
  },
  { additionalProperties: false, 'x-expected': 'an object with host, like { "host": "192.168.1.40" }' },
);
export type AddMinerInput = Static<typeof AddMinerInput>;

/** What `PATCH /api/miners/:id` (and `Monitor.updateMiner`) takes: at least one field. */
export const UpdateMinerInput = Type.Object(
  {
    name: Type.Optional(MinerName),
    intervalMs: Type.Optional(
      Type.Union([IntervalMs, Type.Null()], { description: 'null restores the default interval.' }),
    ),
    enabled: Type.Optional(Type.Boolean()),
    tags: Type.Optional(MinerTags),
    credentials: Type.Optional(MinerCredentials),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    'x-expected':
      'an object naming at least one field to change: name, intervalMs, enabled, tags or credentials',
  },
);
export type UpdateMinerInput = Static<typeof UpdateMinerInput>;
