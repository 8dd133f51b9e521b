/** How the fleet is polled, and the network difficulty behind the solo odds. */
import Type from 'typebox';
import { IntervalMs } from '../../schema/minerInput.js';

export const pollingSettings = {
  pollIntervalMs: Type.Union([IntervalMs, Type.Null()], {
    default: null,
    description: "Poll interval of miners that have none of their own; null keeps the monitor's default.",
  }),
  maxConcurrentPolls: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()], {
    default: null,
    description: "Polls in flight at most across the fleet; null keeps the monitor's default (512).",
  }),
  networkDifficulty: Type.Union([Type.Number({ minimum: 1 }), Type.Null()], {
    default: null,
    description: 'Network difficulty for the solo odds when no miner reports one.',
  }),
};
