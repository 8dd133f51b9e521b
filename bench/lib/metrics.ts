/** Made-up but plausible samples for the storage benches: the same miner and tick, the same row. */
import type { MetricRecord } from '../../src/storage/index.js';

export function benchMetric(miner: number, tick: number, timestamp: number): MetricRecord {
  return {
    minerId: `miner-${miner}`,
    timestamp,
    hashrateGhs: 480 + ((miner * 7 + tick * 13) % 50),
    expectedHashrateGhs: 500,
    temperatureC: 50 + ((miner + tick) % 15),
    vrTemperatureC: 55 + (tick % 10),
    powerW: 14 + (miner % 5),
    inputVoltageV: 5.1,
    fanRpm: 3000 + (tick % 400),
    sharesAccepted: tick,
    sharesRejected: tick >> 6,
    bestDifficulty: 1e9 + miner,
    sessionBestDifficulty: 1e6 + tick,
    uptimeS: tick * 10,
    backfilled: false,
  };
}
