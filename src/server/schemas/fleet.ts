/** Schemas of the fleet summary, its series and the health report. */
import { nullable } from './common.js';

const soloOdds = {
  type: ['object', 'null'],
  required: [
    'hashrateGhs',
    'networkDifficulty',
    'difficultySource',
    'difficultyUpdatedAt',
    'expectedSecondsToBlock',
    'probabilityDay',
    'probabilityMonth',
    'probabilityYear',
  ],
  properties: {
    hashrateGhs: { type: 'number' },
    networkDifficulty: { type: 'number' },
    difficultySource: { type: 'string', enum: ['miner', 'config', 'api'] },
    difficultyUpdatedAt: { type: 'number' },
    expectedSecondsToBlock: { type: 'number' },
    probabilityDay: { type: 'number' },
    probabilityMonth: { type: 'number' },
    probabilityYear: { type: 'number' },
  },
} as const;

const energy = {
  type: ['object', 'null'],
  required: ['pricePerKwh', 'currency', 'powerW', 'costPerDay', 'costPerMonth', 'costPerExpectedBlock'],
  properties: {
    pricePerKwh: { type: 'number' },
    currency: { type: 'string' },
    powerW: { type: 'number' },
    costPerDay: { type: 'number' },
    costPerMonth: { type: 'number' },
    costPerExpectedBlock: nullable('number'),
  },
} as const;

export const fleetSummary = {
  type: 'object',
  required: [
    'miners',
    'hashrateGhs',
    'expectedHashrateGhs',
    'powerW',
    'efficiencyJth',
    'bestDifficulty',
    'bestDifficultyMinerId',
    'sharesAccepted',
    'sharesRejected',
    'soloOdds',
  ],
  properties: {
    miners: {
      type: 'object',
      required: ['total', 'online', 'degraded', 'offline'],
      properties: {
        total: { type: 'integer' },
        online: { type: 'integer' },
        degraded: { type: 'integer' },
        offline: { type: 'integer' },
      },
    },
    hashrateGhs: { type: 'number' },
    expectedHashrateGhs: { type: 'number' },
    powerW: { type: 'number' },
    efficiencyJth: nullable('number'),
    bestDifficulty: nullable('number'),
    bestDifficultyMinerId: nullable('string'),
    sharesAccepted: { type: 'number' },
    sharesRejected: { type: 'number' },
    soloOdds,
    // Present when the config states an electricity price (`energy`), else null.
    energy,
  },
} as const;

export const fleetSeries = {
  type: 'object',
  required: ['from', 'to', 'points'],
  properties: {
    from: { type: 'number' },
    to: { type: 'number' },
    points: {
      type: 'array',
      items: {
        type: 'object',
        required: ['timestamp', 'hashrateGhs', 'expectedHashrateGhs', 'powerW', 'miners'],
        properties: {
          timestamp: { type: 'number' },
          hashrateGhs: { type: 'number' },
          expectedHashrateGhs: { type: 'number' },
          powerW: { type: 'number' },
          miners: { type: 'integer' },
        },
      },
    },
  },
} as const;

export const healthResponse = {
  type: 'object',
  required: ['status', 'database', 'version', 'uptimeS'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    database: {
      type: 'object',
      required: ['ok', 'detail', 'queued', 'dropped', 'available', 'breaker'],
      properties: {
        ok: { type: 'boolean' },
        detail: { type: 'string' },
        queued: { type: 'integer' },
        dropped: { type: 'integer' },
        available: { type: 'boolean' },
        breaker: { type: ['string', 'null'], enum: ['closed', 'open', 'half_open', null] },
      },
    },
    version: { type: 'string' },
    uptimeS: { type: 'number' },
  },
} as const;
