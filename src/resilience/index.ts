// The public surface of `solowatch/resilience`. `FakeClock` lives in `solowatch/resilience/testing`.
export { computeDelay, exponentialDelay } from './backoff.js';
export {
  type BreakerStats,
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitBreakerSnapshot,
  type CircuitState,
  type FromJSONOptions,
  type StateChangeEvent,
  type StateChangeListener,
  type StateChangeReason,
} from './CircuitBreaker.js';
export { isRetryable, retryAfterMsOf, statusOf } from './classify.js';
export { type Clock, systemClock } from './clock.js';
export {
  type BackoffConfig,
  type CircuitBreakerConfig,
  DEFAULT_CIRCUIT_BREAKER_CONFIG,
  DEFAULT_RETRY_CONFIG,
  type Jitter,
  type JitterMode,
  normalizeJitter,
  type RetryConfig,
  resolveCircuitBreakerConfig,
  resolveRetryConfig,
} from './config.js';
export {
  type PresetOptions,
  type RetryWithBackoffOptions,
  type RetryWrapper,
  retryDatabaseOperation,
  retryHttpRequest,
  retryMinerOperation,
  retryWithBackoff,
} from './decorators.js';
export {
  CircuitOpenError,
  type CircuitOpenErrorOptions,
  DatabaseConnectionError,
  HttpStatusError,
  type HttpStatusErrorOptions,
  isCircuitOpenError,
  isDatabaseConnectionError,
  isHttpStatusError,
  isMinerConnectionError,
  isMinerTimeoutError,
  isNetworkError,
  isResilienceError,
  isValidationError,
  MinerConnectionError,
  MinerTimeoutError,
  type MinerTimeoutErrorOptions,
  NetworkError,
  parseRetryAfter,
  ResilienceError,
  type ResilienceErrorCode,
  type ResilienceErrorOptions,
  type TargetErrorOptions,
  ValidationError,
  type ValidationErrorOptions,
} from './errors.js';
export { RetryBudget, type RetryBudgetOptions, type RetryBudgetStats } from './RetryBudget.js';
export {
  DEFAULT_MAX_IDLE_MS,
  getRetryStats,
  type ManagedBreakerOptions,
  RetryManager,
  type RetryManagerOptions,
  resetCircuitBreaker,
  retryManager,
} from './RetryManager.js';
export { type GiveUpEvent, type GiveUpReason, type RetryEvent, type RetryOptions, retry } from './retry.js';
export { retrySync } from './retrySync.js';
