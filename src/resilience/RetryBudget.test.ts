import { describe, expect, it } from 'vitest';
import { RetryBudget } from './RetryBudget.js';

describe('RetryBudget', () => {
  it('starts full with gRPC defaults (10 tokens, ratio 0.1)', () => {
    const budget = new RetryBudget();
    expect(budget.stats()).toMatchObject({
      tokens: 10,
      maxTokens: 10,
      tokenRatio: 0.1,
      threshold: 5,
      retriesAllowed: true,
    });
  });

  it('allows retries only while tokens > maxTokens / 2', () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 4; i += 1) budget.recordFailure();
    expect(budget.tokens).toBe(6);
    expect(budget.canRetry()).toBe(true);
    budget.recordFailure();
    expect(budget.tokens).toBe(5);
    expect(budget.canRetry()).toBe(false);
  });

  it('a success refills tokenRatio without drift, capped at maxTokens', () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 5; i += 1) budget.recordFailure();
    for (let i = 0; i < 10; i += 1) budget.recordSuccess();
    expect(budget.tokens).toBe(6);
    expect(budget.canRetry()).toBe(true);
    for (let i = 0; i < 1000; i += 1) budget.recordSuccess();
    expect(budget.tokens).toBe(10);
  });

  it('never goes below zero', () => {
    const budget = new RetryBudget({ maxTokens: 2 });
    for (let i = 0; i < 10; i += 1) budget.recordFailure();
    expect(budget.tokens).toBe(0);
  });

  it('tryRetry counts granted and denied retries; reset refills and clears', () => {
    const budget = new RetryBudget({ maxTokens: 4, tokenRatio: 0.5 });
    budget.recordFailure();
    expect(budget.tryRetry()).toBe(true);
    budget.recordFailure();
    expect(budget.tryRetry()).toBe(false);
    expect(budget.stats()).toMatchObject({ failures: 2, retriesGranted: 1, retriesDenied: 1, tokens: 2 });
    budget.reset();
    expect(budget.stats()).toMatchObject({ failures: 0, retriesGranted: 0, retriesDenied: 0, tokens: 4 });
  });

  it('validates its options by name', () => {
    expect(() => new RetryBudget({ maxTokens: 0 })).toThrow(/maxTokens/);
    expect(() => new RetryBudget({ tokenRatio: -1 })).toThrow(/tokenRatio/);
    expect(() => new RetryBudget({ tokenRatio: Number.NaN })).toThrow(/tokenRatio/);
  });
});
