/** Schemas of the fleet summary, its series and the health report. */
import Type from 'typebox';
import { List, nullable, orNull } from './common.js';

const SoloOdds = orNull(
  Type.Object({
    hashrateGhs: Type.Number(),
    networkDifficulty: Type.Number(),
    difficultySource: Type.Enum(['miner', 'config', 'api']),
    difficultyUpdatedAt: Type.Number(),
    expectedSecondsToBlock: Type.Number(),
    probabilityDay: Type.Number(),
    probabilityMonth: Type.Number(),
    probabilityYear: Type.Number(),
  }),
);

const Energy = orNull(
  Type.Object({
    pricePerKwh: Type.Number(),
    currency: Type.String(),
    powerW: Type.Number(),
    costPerDay: Type.Number(),
    costPerMonth: Type.Number(),
    costPerExpectedBlock: nullable('number'),
  }),
);

export const FleetSummary = Type.Object({
  miners: Type.Object({
    total: Type.Integer(),
    online: Type.Integer(),
    degraded: Type.Integer(),
    offline: Type.Integer(),
  }),
  hashrateGhs: Type.Number(),
  expectedHashrateGhs: Type.Number(),
  powerW: Type.Number(),
  efficiencyJth: nullable('number'),
  bestDifficulty: nullable('number'),
  bestDifficultyMinerId: nullable('string'),
  sharesAccepted: Type.Number(),
  sharesRejected: Type.Number(),
  soloOdds: SoloOdds,
  // Present when the config states an electricity price (`energy`), else null.
  energy: Type.Optional(Energy),
});

export const FleetSeries = Type.Object({
  from: Type.Number(),
  to: Type.Number(),
  points: List(
    Type.Object({
      timestamp: Type.Number(),
      hashrateGhs: Type.Number(),
      expectedHashrateGhs: Type.Number(),
      powerW: Type.Number(),
      miners: Type.Integer(),
    }),
  ),
});

export const HealthResponse = Type.Object({
  status: Type.Enum(['ok', 'degraded']),
  database: Type.Object({
    ok: Type.Boolean(),
    detail: Type.String(),
    queued: Type.Integer(),
    dropped: Type.Integer(),
    available: Type.Boolean(),
    breaker: Type.Unsafe<'closed' | 'open' | 'half_open' | null>({
      type: ['string', 'null'],
      enum: ['closed', 'open', 'half_open', null],
    }),
  }),
  /** The MQTT bridge; null when none is configured. */
  mqtt: Type.Union([
    Type.Object({
      connected: Type.Boolean(),
      broker: Type.String(),
      connectedAt: Type.Union([Type.Number(), Type.Null()]),
      lastError: Type.Union([Type.String(), Type.Null()]),
      lastErrorAt: Type.Union([Type.Number(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  version: Type.String(),
  uptimeS: Type.Number(),
});
