/**
 * Retry and breaker settings: frozen defaults, and one validating resolver so a bad option fails
 * where it is written, with its name in the message.
 */

/** How delays are randomized. `true` means `'full'`, `false` means `'none'`. */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated' | boolean;

/** The normalized form of `Jitter`. */
export type JitterMode = 'none' | 'full' | 'equal' | 'decorrelated';

export interface RetryConfig {
  /**
   * Total calls, the first included.
   * @default 3
   */
  readonly maxAttempts: number;
  /**
   * Delay before the first retry, before jitter.
   * @default 1000
   */
  readonly baseDelayMs: number;
  /**
   * Cap on any single delay, a `Retry-After` included.
   * @default 60000
   */
  readonly maxDelayMs: number;
  /**
   * Growth of the delay per retry.
   * @default 2
   */
  readonly exponentialBase: number;
  /**
   * @default 'full'
   */
  readonly jitter: Jitter;
  /**
   * Extra multiplier on every delay.
   * @default 1
   */
  readonly backoffFactor: number;
  /**
   * Consecutive recorded failures that open a breaker.
   * @default 5
   */
  readonly failureThreshold: number;
  /**
   * Time a breaker stays open before it lets a trial call through.
   * @default 60000
   */
  readonly recoveryTimeoutMs: number;
  /**
   * Trial successes that close a half-open breaker.
   * @default 3
   */
  readonly successThreshold: number;
}

/** The breaker's share of `RetryConfig`. */
export type CircuitBreakerConfig = Pick<
  RetryConfig,
  'failureThreshold' | 'recoveryTimeoutMs' | 'successThreshold'
>;

/** The backoff's share of `RetryConfig`. */
export type BackoffConfig = Pick<
  RetryConfig,
  'baseDelayMs' | 'maxDelayMs' | 'exponentialBase' | 'jitter' | 'backoffFactor'
>;

export const DEFAULT_RETRY_CONFIG: RetryConfig = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  exponentialBase: 2,
  jitter: 'full',
  backoffFactor: 1,
  failureThreshold: 5,
  recoveryTimeoutMs: 60_000,
  successThreshold: 3,
});

export const DEFAULT_CIRCUIT_BREAKER_CONFIG: CircuitBreakerConfig = Object.freeze({
  failureThreshold: DEFAULT_RETRY_CONFIG.failureThreshold,
  recoveryTimeoutMs: DEFAULT_RETRY_CONFIG.recoveryTimeoutMs,
  successThreshold: DEFAULT_RETRY_CONFIG.successThreshold,
});

const JITTER_MODES: readonly unknown[] = ['none', 'full', 'equal', 'decorrelated', true, false];

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}

function expect(name: string, ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new TypeError(`Expected \`${name}\` to be ${what}, got ${describe(value)}`);
}

function positiveInteger(name: string, value: unknown): void {
  if (Number.isSafeInteger(value) && (value as number) >= 1) return;
  expect(name, false, 'a positive integer', value);
}

function nonNegativeFinite(name: string, value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return;
  expect(name, false, 'a finite number >= 0', value);
}

const VALIDATORS: Record<keyof RetryConfig, (name: string, value: unknown) => void> = {
  maxAttempts: positiveInteger,
  baseDelayMs: nonNegativeFinite,
  maxDelayMs: nonNegativeFinite,
  exponentialBase: (name, value) =>
    expect(
      name,
      typeof value === 'number' && Number.isFinite(value) && value >= 1,
      'a finite number >= 1',
      value,
    ),
  jitter: (name, value) =>
    expect(name, JITTER_MODES.includes(value), "'none', 'full', 'equal', 'decorrelated' or a boolean", value),
  backoffFactor: nonNegativeFinite,
  failureThreshold: positiveInteger,
  recoveryTimeoutMs: nonNegativeFinite,
  successThreshold: positiveInteger,
};

const KEYS = Object.keys(VALIDATORS) as (keyof RetryConfig)[];
const BREAKER_KEYS: readonly (keyof CircuitBreakerConfig)[] = [
  'failureThreshold',
  'recoveryTimeoutMs',
  'successThreshold',
];

function resolve<C extends object>(
  defaults: C,
  keys: readonly (keyof C & keyof RetryConfig)[],
  partial: object | undefined,
): C {
  if (partial === undefined || partial === null) return defaults;
  if (typeof partial !== 'object')
    throw new TypeError(`Expected options to be an object, got ${typeof partial}`);
  let result: Record<string, unknown> | undefined;
  for (const key of keys) {
    // Only known keys are read, so retry options (signal, clock...) can be passed straight in.
    const value = (partial as Record<string, unknown>)[key];
    if (value === undefined) continue;
    VALIDATORS[key](key, value);
    if (result === undefined && value === (defaults as Record<string, unknown>)[key]) continue;
    result ??= { ...(defaults as Record<string, unknown>) };
    result[key] = value;
  }
  // Sharing the frozen defaults when nothing is overridden keeps 10,000 breakers cheap.
  return result === undefined ? defaults : (Object.freeze(result) as C);
}

/** Named reads, not a keyed loop: this runs on every `retry` call and is the common case. */
function overridesNothing(partial: Partial<RetryConfig>): boolean {
  return (
    partial.maxAttempts === undefined &&
    partial.baseDelayMs === undefined &&
    partial.maxDelayMs === undefined &&
    partial.exponentialBase === undefined &&
    partial.jitter === undefined &&
    partial.backoffFactor === undefined &&
    partial.failureThreshold === undefined &&
    partial.recoveryTimeoutMs === undefined &&
    partial.successThreshold === undefined
  );
}

/** Defaults overlaid with `partial`, validated; throws a TypeError naming the bad option. */
export function resolveRetryConfig(partial?: Partial<RetryConfig>): RetryConfig {
  if (typeof partial === 'object' && partial !== null && overridesNothing(partial))
    return DEFAULT_RETRY_CONFIG;
  return resolve(DEFAULT_RETRY_CONFIG, KEYS, partial);
}

/** The breaker fields of `partial` over the defaults, validated. */
export function resolveCircuitBreakerConfig(partial?: Partial<CircuitBreakerConfig>): CircuitBreakerConfig {
  return resolve(DEFAULT_CIRCUIT_BREAKER_CONFIG, BREAKER_KEYS, partial);
}

/**
 * Validates the `RetryConfig` fields of `partial` without building anything: what `retry` runs
 * on every call, so that a changed or invalid option is seen at the next call. Named reads, not
 * a keyed loop: options written inline are a new object each call, and a keyed loop over them
 * cost more than the rest of the call.
 */
export function checkRetryConfig(partial: Partial<RetryConfig>): void {
  const p = partial;
  if (p.maxAttempts !== undefined) positiveInteger('maxAttempts', p.maxAttempts);
  if (p.baseDelayMs !== undefined) nonNegativeFinite('baseDelayMs', p.baseDelayMs);
  if (p.maxDelayMs !== undefined) nonNegativeFinite('maxDelayMs', p.maxDelayMs);
  if (p.exponentialBase !== undefined) VALIDATORS.exponentialBase('exponentialBase', p.exponentialBase);
  if (p.jitter !== undefined) VALIDATORS.jitter('jitter', p.jitter);
  if (p.backoffFactor !== undefined) nonNegativeFinite('backoffFactor', p.backoffFactor);
  if (p.failureThreshold !== undefined) positiveInteger('failureThreshold', p.failureThreshold);
  if (p.recoveryTimeoutMs !== undefined) nonNegativeFinite('recoveryTimeoutMs', p.recoveryTimeoutMs);
  if (p.successThreshold !== undefined) positiveInteger('successThreshold', p.successThreshold);
}

/** `true` is `'full'`, `false` is `'none'`. */
export function normalizeJitter(jitter: Jitter): JitterMode {
  if (jitter === true) return 'full';
  if (jitter === false) return 'none';
  return jitter;
}
