/** What electricity costs, for the dashboard's running costs and the cost of a block. */
import Type, { type Static } from 'typebox';
import { DEFAULT_CURRENCY } from '../../monitor/energyCost.js';

export const EnergyPriceSchema = Type.Object(
  {
    pricePerKwh: Type.Number({
      minimum: 0,
      maximum: 100,
      description: 'Price of one kWh in `currency` (0 for free solar).',
    }),
    // Not a schema `default`: ajv cannot fill one in inside a union (energy may be null).
    currency: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 8,
        description: `Shown after every cost, e.g. USD, EUR, sats (default ${DEFAULT_CURRENCY}).`,
      }),
    ),
  },
  { additionalProperties: false },
);

export type EnergyPrice = Static<typeof EnergyPriceSchema>;

export const energySettings = {
  energy: Type.Union([EnergyPriceSchema, Type.Null()], {
    default: null,
    description:
      'Electricity price, e.g. `{ pricePerKwh: 0.25, currency: EUR }`: costs per miner and for the fleet on the dashboard and in GET /api/fleet; null shows none.',
  }),
};
