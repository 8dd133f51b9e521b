/**
 * A miner as GET /api/miners lists it: the view with only the sample fields the dashboard's
 * table, filters and fleet view read. The device's raw replies and the rest of the sample stay
 * on GET /api/miners/:id; a farm's list is otherwise megabytes (3.4 KB a miner in the first
 * build, most of it raw replies).
 */
import type { MinerSample } from '../miners/MinerSample.js';
import type { MinerView } from '../monitor/types.js';

export const LISTED_SAMPLE_KEYS = [
  'timestamp',
  'kind',
  'hashrateGhs',
  'expectedHashrateGhs',
  'temperatureC',
  'maxChipTemperatureC',
  'vrTemperatureC',
  'boardTemperaturesC',
  'chipTempLimitC',
  'powerW',
  'sharesAccepted',
  'sharesRejected',
  'bestDifficulty',
  'uptimeS',
  'firmware',
  'deviceModel',
] as const satisfies readonly (keyof MinerSample)[];

export type ListedSample = Pick<MinerSample, (typeof LISTED_SAMPLE_KEYS)[number]> & Partial<MinerSample>;

export type ListedMinerView = Omit<MinerView, 'lastSample'> & { readonly lastSample: ListedSample | null };

export function listedMiner(miner: MinerView): ListedMinerView {
  const sample = miner.lastSample;
  if (sample === null) return miner;
  const listed: Partial<Record<keyof MinerSample, unknown>> = {};
  for (const key of LISTED_SAMPLE_KEYS) listed[key] = sample[key];
  return { ...miner, lastSample: listed as ListedSample };
}
