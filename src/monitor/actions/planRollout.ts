/**
 * Splits the miners of an action into the canary and the batches after it. Pure: the order
 * given is kept, every miner appears exactly once, the canary holds `min(canary, n)` miners and
 * every later batch holds `batchSize`, the last one possibly fewer.
 */
import type { Rollout } from './Action.js';

export function planRollout<T>(items: readonly T[], rollout: Pick<Rollout, 'canary' | 'batchSize'>): T[][] {
  if (!Number.isInteger(rollout.canary) || rollout.canary < 0) {
    throw new RangeError(`Expected \`canary\` to be a non-negative integer, got ${rollout.canary}.`);
  }
  if (!Number.isInteger(rollout.batchSize) || rollout.batchSize < 1) {
    throw new RangeError(`Expected \`batchSize\` to be a positive integer, got ${rollout.batchSize}.`);
  }
  const batches: T[][] = [];
  const canary = Math.min(rollout.canary, items.length);
  if (canary > 0) batches.push(items.slice(0, canary));
  for (let i = canary; i < items.length; i += rollout.batchSize) {
    batches.push(items.slice(i, i + rollout.batchSize));
  }
  return batches;
}
