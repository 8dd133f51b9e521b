/** Schemas of miners, restarts, series, alerts and events: the shapes the dashboard reads. */

import { MINER_KINDS } from '../../miners/MinerSample.js';
import { MINER_STATUSES } from '../../monitor/types.js';
import { nullable, openObject } from './common.js';

const STATUSES = [...MINER_STATUSES];
const BREAKER_STATES = ['closed', 'open', 'half_open'];

export const restartStatus = {
  type: 'object',
  required: ['minerId', 'state', 'requestedAt', 'confirmedAt', 'detail'],
  properties: {
    minerId: { type: 'string' },
    state: { type: 'string', enum: ['restarting', 'confirmed', 'unconfirmed'] },
    requestedAt: { type: 'number' },
    confirmedAt: nullable('number'),
    detail: { type: 'string' },
  },
} as const;

const breakerSummary = {
  type: ['object', 'null'],
  required: ['name', 'state', 'failureCount', 'nextAttemptAt'],
  properties: {
    name: { type: 'string' },
    state: { type: 'string', enum: BREAKER_STATES },
    failureCount: { type: 'integer' },
    nextAttemptAt: nullable('number'),
  },
} as const;

export const minerView = {
  type: 'object',
  required: [
    'id',
    'name',
    'host',
    'port',
    'kind',
    'mac',
    'hostname',
    'enabled',
    'intervalMs',
    'status',
    'statusReason',
    'lastSeenAt',
    'lastPollAt',
    'lastError',
    'lastSample',
    'breaker',
    'bestDifficulty',
    'restart',
    'createdAt',
  ],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'integer' },
    kind: { type: 'string' },
    mac: nullable('string'),
    hostname: nullable('string'),
    enabled: { type: 'boolean' },
    intervalMs: { type: 'integer' },
    status: { type: 'string', enum: STATUSES },
    statusReason: nullable('string'),
    lastSeenAt: nullable('number'),
    lastPollAt: nullable('number'),
    lastError: nullable('string'),
    // The sample keeps device fields we do not map; it is passed through whole.
    lastSample: { type: ['object', 'null'], additionalProperties: true },
    breaker: breakerSummary,
    bestDifficulty: nullable('number'),
    restart: { ...restartStatus, type: ['object', 'null'] },
    createdAt: { type: 'number' },
  },
} as const;

export const addMinerBody = {
  type: 'object',
  required: ['host'],
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\-\\[\\]]+$' },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    kind: { type: 'string', enum: [...MINER_KINDS, 'auto'] },
    name: { type: 'string', minLength: 1, maxLength: 100 },
    verify: { type: 'boolean' },
  },
} as const;

export const updateMinerBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    intervalMs: { type: ['integer', 'null'], minimum: 1000, maximum: 86_400_000 },
    enabled: { type: 'boolean' },
  },
} as const;

const aggregate = {
  type: 'object',
  properties: { avg: nullable('number'), min: nullable('number'), max: nullable('number') },
} as const;

export const series = {
  type: 'object',
  required: ['from', 'to', 'bucketMs', 'source', 'points'],
  properties: {
    from: { type: 'number' },
    to: { type: 'number' },
    bucketMs: { type: 'number' },
    source: { type: 'string', enum: ['raw', 'minute', 'hour'] },
    points: {
      type: 'array',
      items: {
        type: 'object',
        required: ['timestamp', 'count', 'values'],
        properties: {
          timestamp: { type: 'number' },
          count: { type: 'integer' },
          values: { type: 'object', additionalProperties: aggregate },
        },
      },
    },
  },
} as const;

export const alertRecord = {
  type: 'object',
  required: ['key', 'minerId', 'condition', 'severity', 'message', 'openedAt', 'clearedAt'],
  properties: {
    key: { type: 'string' },
    minerId: nullable('string'),
    condition: { type: 'string' },
    severity: { type: 'string' },
    message: { type: 'string' },
    openedAt: { type: 'number' },
    lastNotifiedAt: nullable('number'),
    notifications: { type: 'integer' },
    clearedAt: nullable('number'),
  },
} as const;

export const eventRecord = {
  type: 'object',
  required: ['minerId', 'type', 'severity', 'message', 'timestamp'],
  properties: {
    id: { type: 'integer' },
    minerId: nullable('string'),
    type: { type: 'string' },
    severity: { type: 'string' },
    message: { type: 'string' },
    timestamp: { type: 'number' },
    data: openObject,
  },
} as const;

export const discoveredMiner = {
  type: 'object',
  required: ['host', 'port', 'kind', 'mac', 'hostname', 'firmware', 'knownMinerId'],
  properties: {
    host: { type: 'string' },
    port: { type: 'integer' },
    kind: { type: 'string' },
    mac: nullable('string'),
    hostname: nullable('string'),
    firmware: nullable('string'),
    knownMinerId: nullable('string'),
  },
} as const;
