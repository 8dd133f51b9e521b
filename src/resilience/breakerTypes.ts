/** The shapes a circuit breaker reports: its state, its stats and its state-change events. */
import type { CircuitBreakerConfig } from './config.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

/** Why a breaker changed state. */
export type StateChangeReason =
  | 'failure_threshold'
  | 'recovery_timeout'
  | 'half_open_failure'
  | 'success_threshold'
  | 'reset';

export interface StateChangeEvent {
  readonly name: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** Epoch ms of the change; for `recovery_timeout` the moment the breaker became eligible. */
  readonly at: number;
  readonly reason: StateChangeReason;
}

export type StateChangeListener = (event: StateChangeEvent) => void;

export interface BreakerStats {
  readonly name: string;
  readonly state: CircuitState;
  /** Consecutive recorded failures (closed), or the failures since the last close. */
  readonly failureCount: number;
  /** Trial successes since the breaker went half-open. */
  readonly successCount: number;
  /** Epoch ms of the last recorded failure, or null. */
  readonly lastFailureTime: number | null;
  readonly config: CircuitBreakerConfig;
  readonly halfOpenMaxCalls: number;
  /** Calls let through (refusals not included). */
  readonly calls: number;
  /** Calls that ended in a recorded failure. */
  readonly failures: number;
  /** Calls that succeeded. */
  readonly successes: number;
  /** Calls refused with CircuitOpenError. */
  readonly refusals: number;
  /** Retries scheduled by `retry` through this breaker. */
  readonly retries: number;
  /** Times `retry` gave up through this breaker. */
  readonly giveUps: number;
  /** Calls running right now. */
  readonly inFlight: number;
  /** Epoch ms when it last opened, or null. */
  readonly openedAt: number | null;
  /** Epoch ms when an open breaker lets a trial call through, or null when not open. */
  readonly nextAttemptAt: number | null;
  readonly lastStateChangeAt: number | null;
  /** Epoch ms of the last call admitted, reset, or creation (what eviction measures). */
  readonly lastActivityAt: number;
}
