/** The stored subset of a sample. */
import type { MinerSample } from '../miners/MinerSample.js';
import type { MetricRecord } from '../storage/Storage.js';

export function sampleToRecord(minerId: string, sample: MinerSample): MetricRecord {
  const rpm = sample.fanRpm.length === 0 ? null : Math.max(...sample.fanRpm);
  return {
    minerId,
    timestamp: sample.timestamp,
    hashrateGhs: sample.hashrateGhs,
    expectedHashrateGhs: sample.expectedHashrateGhs,
    temperatureC: sample.temperatureC,
    vrTemperatureC: sample.vrTemperatureC,
    powerW: sample.powerW,
    inputVoltageV: sample.inputVoltageV,
    fanRpm: rpm,
    sharesAccepted: sample.sharesAccepted,
    sharesRejected: sample.sharesRejected,
    bestDifficulty: sample.bestDifficulty,
    sessionBestDifficulty: sample.sessionBestDifficulty,
    uptimeS: sample.uptimeS,
    backfilled: sample.backfilled,
  };
}
