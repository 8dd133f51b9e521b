/**
 * Backoff as pure functions of (attempt, previous delay, config, random): no clock, no state,
 * so every law can be checked by property tests.
 */
import { type BackoffConfig, normalizeJitter } from './config.js';

/**
 * The delay before retry `attempt` (1 for the first retry) before jitter:
 * `min(maxDelayMs, baseDelayMs * backoffFactor * exponentialBase^(attempt-1))`.
 */
export function exponentialDelay(attempt: number, config: BackoffConfig): number {
  const scale = config.baseDelayMs * config.backoffFactor;
  // 0 * Infinity would be NaN once the power overflows; a zero scale is zero at any attempt.
  if (scale === 0) return 0;
  return Math.min(config.maxDelayMs, scale * config.exponentialBase ** (attempt - 1));
}

/**
 * The delay before retry `attempt` after jitter.
 * - none: the exponential delay;
 * - full: uniform in [0, exponential delay];
 * - equal: uniform in [exponential delay / 2, exponential delay];
 * - decorrelated: `min(maxDelayMs, uniform in [baseDelayMs, 3 * previous])`, where the previous
 *   delay of the first retry is `baseDelayMs`.
 *
 * @param random returns a number in [0, 1).
 */
export function computeDelay(
  attempt: number,
  previousDelayMs: number | undefined,
  config: BackoffConfig,
  random: () => number,
): number {
  const mode = normalizeJitter(config.jitter);
  if (mode === 'decorrelated') {
    const previous = attempt <= 1 || previousDelayMs === undefined ? config.baseDelayMs : previousDelayMs;
    const low = config.baseDelayMs;
    const high = Math.max(low, 3 * previous);
    // The inner min guards against floating-point rounding past `high`.
    return Math.min(config.maxDelayMs, high, low + random() * (high - low));
  }
  const value = exponentialDelay(attempt, config);
  switch (mode) {
    case 'none':
      return value;
    case 'full':
      return random() * value;
    case 'equal':
      return Math.min(value, value / 2 + random() * (value / 2));
  }
}
