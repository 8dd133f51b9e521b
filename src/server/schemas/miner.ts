/** Schemas of miners, restarts, series, alerts and events: the shapes the dashboard reads. */
import Type, { type Static } from 'typebox';
import { MINER_STATUSES } from '../../monitor/types.js';
import { AddMinerInput, UpdateMinerInput } from '../../schema/minerInput.js';
import { List, nullable, OpenObject, orNull } from './common.js';

const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;

/** The request bodies: written once in src/schema/, which the monitor checks against too. */
export const AddMinerBody = AddMinerInput;
export const UpdateMinerBody = UpdateMinerInput;

export const RestartStatus = Type.Object({
  minerId: Type.String(),
  state: Type.Enum(['restarting', 'confirmed', 'unconfirmed']),
  requestedAt: Type.Number(),
  confirmedAt: nullable('number'),
  detail: Type.String(),
});

const BreakerSummary = orNull(
  Type.Object({
    name: Type.String(),
    state: Type.Enum(BREAKER_STATES),
    failureCount: Type.Integer(),
    nextAttemptAt: nullable('number'),
  }),
);

export const MinerView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  host: Type.String(),
  port: Type.Integer(),
  kind: Type.String(),
  mac: nullable('string'),
  hostname: nullable('string'),
  enabled: Type.Boolean(),
  tags: List(Type.String()),
  hasCredentials: Type.Boolean(),
  intervalMs: Type.Integer(),
  status: Type.Enum(MINER_STATUSES),
  statusReason: nullable('string'),
  lastSeenAt: nullable('number'),
  lastPollAt: nullable('number'),
  lastError: nullable('string'),
  // The sample keeps device fields we do not map; it is passed through whole.
  lastSample: Type.Unsafe<object | null>({ type: ['object', 'null'], additionalProperties: true }),
  breaker: BreakerSummary,
  bestDifficulty: nullable('number'),
  restart: orNull(RestartStatus),
  createdAt: Type.Number(),
  polledBy: Type.Optional(nullable('string')),
});

const Aggregate = Type.Object({
  avg: Type.Optional(nullable('number')),
  min: Type.Optional(nullable('number')),
  max: Type.Optional(nullable('number')),
});

export const Series = Type.Object({
  from: Type.Number(),
  to: Type.Number(),
  bucketMs: Type.Number(),
  source: Type.Enum(['raw', 'minute', 'hour']),
  points: List(
    Type.Object({
      timestamp: Type.Number(),
      count: Type.Integer(),
      // `additionalProperties`, not `patternProperties`: the serializer's fast path.
      values: Type.Unsafe<Record<string, Static<typeof Aggregate>>>({
        type: 'object',
        additionalProperties: Aggregate,
      }),
    }),
  ),
});

export const AlertRecord = Type.Object({
  key: Type.String(),
  minerId: nullable('string'),
  condition: Type.String(),
  severity: Type.String(),
  message: Type.String(),
  openedAt: Type.Number(),
  lastNotifiedAt: Type.Optional(nullable('number')),
  notifications: Type.Optional(Type.Integer()),
  clearedAt: nullable('number'),
});

export const EventRecord = Type.Object({
  id: Type.Optional(Type.Integer()),
  minerId: nullable('string'),
  type: Type.String(),
  severity: Type.String(),
  message: Type.String(),
  timestamp: Type.Number(),
  data: Type.Optional(OpenObject),
});

export const DiscoveredMiner = Type.Object({
  host: Type.String(),
  port: Type.Integer(),
  kind: Type.String(),
  mac: nullable('string'),
  hostname: nullable('string'),
  firmware: nullable('string'),
  knownMinerId: nullable('string'),
});
