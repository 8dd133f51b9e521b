/**
 * Solo mining odds, pure maths. A share of difficulty 1 takes 2^32 hashes on average, so a block
 * at network difficulty D takes D x 2^32 hashes on average, and finding one is a Poisson process:
 * P(at least one block in t) = 1 - exp(-H t / (D 2^32)).
 */
import type { DifficultySource, SoloOdds } from '../types.js';

export const HASHES_PER_DIFFICULTY = 2 ** 32;
export const SECONDS_PER_DAY = 86_400;
export const SECONDS_PER_MONTH = 30 * SECONDS_PER_DAY;
export const SECONDS_PER_YEAR = 365 * SECONDS_PER_DAY;

function checkDifficulty(difficulty: number): void {
  if (!(Number.isFinite(difficulty) && difficulty > 0)) {
    throw new RangeError(`Expected network difficulty to be a positive number, got ${String(difficulty)}`);
  }
}

function checkHashrate(hashesPerSecond: number): void {
  if (!(Number.isFinite(hashesPerSecond) && hashesPerSecond >= 0)) {
    throw new RangeError(`Expected hashrate to be a number >= 0, got ${String(hashesPerSecond)}`);
  }
}

/** GH/s to hashes per second. */
export function ghsToHashesPerSecond(ghs: number): number {
  return ghs * 1e9;
}

/** Mean seconds to a block: D x 2^32 / H (Infinity at H = 0). */
export function expectedSecondsToBlock(hashesPerSecond: number, difficulty: number): number {
  checkHashrate(hashesPerSecond);
  checkDifficulty(difficulty);
  if (hashesPerSecond === 0) return Number.POSITIVE_INFINITY;
  return (difficulty * HASHES_PER_DIFFICULTY) / hashesPerSecond;
}

/** Probability of at least one block within `seconds`: 1 - exp(-H t / (D 2^32)). */
export function probabilityOfBlock(hashesPerSecond: number, difficulty: number, seconds: number): number {
  checkHashrate(hashesPerSecond);
  checkDifficulty(difficulty);
  if (!(Number.isFinite(seconds) && seconds >= 0)) {
    throw new RangeError(`Expected a duration in seconds >= 0, got ${String(seconds)}`);
  }
  const expectedBlocks = (hashesPerSecond * seconds) / (difficulty * HASHES_PER_DIFFICULTY);
  // expm1 keeps the tiny probabilities of a single small miner exact instead of rounding to 0.
  return Math.min(1, Math.max(0, -Math.expm1(-expectedBlocks)));
}

export interface KnownDifficulty {
  readonly value: number;
  readonly source: DifficultySource;
  readonly updatedAt: number;
}

/** The fleet's (or one miner's) odds at hashrate `hashrateGhs`. */
export function computeSoloOdds(hashrateGhs: number, difficulty: KnownDifficulty): SoloOdds {
  const h = ghsToHashesPerSecond(Math.max(0, hashrateGhs));
  return {
    hashrateGhs: Math.max(0, hashrateGhs),
    networkDifficulty: difficulty.value,
    difficultySource: difficulty.source,
    difficultyUpdatedAt: difficulty.updatedAt,
    expectedSecondsToBlock: expectedSecondsToBlock(h, difficulty.value),
    probabilityDay: probabilityOfBlock(h, difficulty.value, SECONDS_PER_DAY),
    probabilityMonth: probabilityOfBlock(h, difficulty.value, SECONDS_PER_MONTH),
    probabilityYear: probabilityOfBlock(h, difficulty.value, SECONDS_PER_YEAR),
  };
}
