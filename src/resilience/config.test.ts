import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CIRCUIT_BREAKER_CONFIG,
  DEFAULT_RETRY_CONFIG,
  normalizeJitter,
  resolveCircuitBreakerConfig,
  resolveRetryConfig,
} from './config.js';

describe('DEFAULT_RETRY_CONFIG', () => {
  it('holds the original design defaults and is frozen', () => {
    expect(DEFAULT_RETRY_CONFIG).toEqual({
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
    expect(Object.isFrozen(DEFAULT_RETRY_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CIRCUIT_BREAKER_CONFIG)).toBe(true);
    expect(DEFAULT_CIRCUIT_BREAKER_CONFIG).toEqual({
      failureThreshold: 5,
      recoveryTimeoutMs: 60_000,
      successThreshold: 3,
    });
  });
});

describe('resolveRetryConfig', () => {
  it('returns the shared defaults when nothing is overridden', () => {
    expect(resolveRetryConfig()).toBe(DEFAULT_RETRY_CONFIG);
    expect(resolveRetryConfig({})).toBe(DEFAULT_RETRY_CONFIG);
  });

  it('overlays given values, ignores unknown keys, and freezes the result', () => {
    const options = { maxAttempts: 5, jitter: false, signal: new AbortController().signal } as const;
    const config = resolveRetryConfig(options);
    expect(config.maxAttempts).toBe(5);
    expect(config.jitter).toBe(false);
    expect(config.baseDelayMs).toBe(1000);
    expect(config).not.toHaveProperty('signal');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats an explicit undefined as absent', () => {
    expect(resolveRetryConfig({ maxAttempts: undefined } as never).maxAttempts).toBe(3);
  });

  it.each([
    ['maxAttempts', 0, 'Expected `maxAttempts` to be a positive integer, got 0'],
    ['maxAttempts', 1.5, 'Expected `maxAttempts` to be a positive integer, got 1.5'],
    [
      'maxAttempts',
      Number.POSITIVE_INFINITY,
      'Expected `maxAttempts` to be a positive integer, got Infinity',
    ],
    ['baseDelayMs', -1, 'Expected `baseDelayMs` to be a finite number >= 0, got -1'],
    ['maxDelayMs', Number.NaN, 'Expected `maxDelayMs` to be a finite number >= 0, got NaN'],
    ['exponentialBase', 0.5, 'Expected `exponentialBase` to be a finite number >= 1, got 0.5'],
    [
      'jitter',
      'random',
      "Expected `jitter` to be 'none', 'full', 'equal', 'decorrelated' or a boolean, got \"random\"",
    ],
    ['backoffFactor', '2', 'Expected `backoffFactor` to be a finite number >= 0, got "2"'],
    ['failureThreshold', 0, 'Expected `failureThreshold` to be a positive integer, got 0'],
    ['recoveryTimeoutMs', -5, 'Expected `recoveryTimeoutMs` to be a finite number >= 0, got -5'],
    ['successThreshold', null, 'Expected `successThreshold` to be a positive integer, got null'],
  ])('rejects %s = %s with a message naming it', (key, value, message) => {
    expect(() => resolveRetryConfig({ [key]: value } as never)).toThrow(new TypeError(message));
  });

  it('rejects a non-object', () => {
    expect(() => resolveRetryConfig(5 as never)).toThrow(TypeError);
  });
});

describe('resolveCircuitBreakerConfig', () => {
  it('keeps only the breaker fields', () => {
    const config = resolveCircuitBreakerConfig({ failureThreshold: 2, maxAttempts: 9 } as never);
    expect(config).toEqual({ failureThreshold: 2, recoveryTimeoutMs: 60_000, successThreshold: 3 });
    expect(resolveCircuitBreakerConfig()).toBe(DEFAULT_CIRCUIT_BREAKER_CONFIG);
  });

  it('validates', () => {
    expect(() => resolveCircuitBreakerConfig({ successThreshold: 0 })).toThrow(/successThreshold/);
  });
});

describe('normalizeJitter', () => {
  it('maps booleans to modes', () => {
    expect(normalizeJitter(true)).toBe('full');
    expect(normalizeJitter(false)).toBe('none');
    expect(normalizeJitter('equal')).toBe('equal');
  });
});

describe('resolved configs are shared when they equal the defaults', () => {
  it('a full config equal to the defaults resolves to the shared defaults object', () => {
    expect(resolveRetryConfig({ ...DEFAULT_RETRY_CONFIG })).toBe(DEFAULT_RETRY_CONFIG);
    expect(resolveCircuitBreakerConfig({ ...DEFAULT_RETRY_CONFIG })).toBe(DEFAULT_CIRCUIT_BREAKER_CONFIG);
    expect(
      resolveCircuitBreakerConfig({ ...DEFAULT_RETRY_CONFIG, successThreshold: 1 }).successThreshold,
    ).toBe(1);
  });
});
