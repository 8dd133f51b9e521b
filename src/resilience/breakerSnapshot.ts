/** The persisted form of a breaker, and its validation when read back. */

import type { CircuitState } from './breakerTypes.js';
import type { CircuitBreakerConfig } from './config.js';

/** What `toJSON()` writes and `CircuitBreaker.fromJSON()` reads. */
export interface CircuitBreakerSnapshot {
  readonly version: 1;
  readonly name: string;
  readonly state: CircuitState;
  readonly config: CircuitBreakerConfig;
  readonly failureCount: number;
  readonly successCount: number;
  readonly lastFailureTime: number | null;
  readonly openedAt: number | null;
  readonly lastStateChangeAt: number | null;
  readonly calls: number;
  readonly failures: number;
  readonly successes: number;
  readonly refusals: number;
  readonly retries: number;
  readonly giveUps: number;
}

const STATES: readonly unknown[] = ['closed', 'open', 'half_open'];

/** Throws a TypeError naming the first bad field. */
export function checkSnapshot(snapshot: CircuitBreakerSnapshot): CircuitBreakerSnapshot {
  if (typeof snapshot !== 'object' || snapshot === null) {
    throw new TypeError('Expected a breaker snapshot object');
  }
  const bad = (field: string, what: string): never => {
    throw new TypeError(
      `Invalid breaker snapshot: expected \`${field}\` to be ${what}, got ${JSON.stringify((snapshot as unknown as Record<string, unknown>)[field])}`,
    );
  };
  if (snapshot.version !== 1) bad('version', '1');
  if (typeof snapshot.name !== 'string' || snapshot.name === '') bad('name', 'a non-empty string');
  if (!STATES.includes(snapshot.state)) bad('state', "'closed', 'open' or 'half_open'");
  if (typeof snapshot.config !== 'object' || snapshot.config === null) bad('config', 'an object');
  const counts = [
    'failureCount',
    'successCount',
    'calls',
    'failures',
    'successes',
    'refusals',
    'retries',
    'giveUps',
  ] as const;
  for (const field of counts) {
    const value = snapshot[field];
    if (!Number.isSafeInteger(value) || value < 0) bad(field, 'a non-negative integer');
  }
  for (const field of ['lastFailureTime', 'openedAt', 'lastStateChangeAt'] as const) {
    const value = snapshot[field];
    if (value !== null && !Number.isFinite(value)) bad(field, 'a number or null');
  }
  return snapshot;
}
