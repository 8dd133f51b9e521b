import { describe, expect, it } from 'vitest';
import { RetryManager } from '../resilience/index.js';
import { FakeClock } from '../resilience/testing.js';
import { gateBreaker, transportBreakerName, worseBreaker } from './gateBreaker.js';
import type { BreakerSummary } from './types.js';

describe('transportBreakerName', () => {
  it('names the breaker each driver goes through, as the transport keys it', () => {
    // URL origins drop the default port and lower-case the host, as HttpSessionManager's do.
    expect(transportBreakerName('axeos', '10.0.0.5', 80)).toBe('http_requests:http://10.0.0.5');
    expect(transportBreakerName('nerdqaxe', 'Bitaxe.Local', 8080)).toBe(
      'http_requests:http://bitaxe.local:8080',
    );
    expect(transportBreakerName('axeos', 'fe80::1', 80)).toBe('http_requests:http://[fe80::1]');
    expect(transportBreakerName('cgminer', '10.0.0.7', 4028)).toBe('cgminer:10.0.0.7:4028');
    expect(transportBreakerName('cgminer', '10.0.0.7', 0)).toBe('cgminer:10.0.0.7:4028');
    expect(transportBreakerName('toaster', '10.0.0.8', 80)).toBeNull();
    expect(transportBreakerName('axeos', 'bad host', 80)).toBeNull();
  });
});

const closed = (name: string, failureCount = 0): BreakerSummary => ({
  name,
  state: 'closed',
  failureCount,
  nextAttemptAt: null,
});

describe('worseBreaker', () => {
  it('ranks open over half-open over closed, whichever side it is on', () => {
    const open: BreakerSummary = { name: 't', state: 'open', failureCount: 2, nextAttemptAt: 5 };
    const half: BreakerSummary = { name: 'h', state: 'half_open', failureCount: 0, nextAttemptAt: null };
    expect(worseBreaker(closed('m', 4), open)).toBe(open);
    expect(worseBreaker(open, closed('m', 4))).toBe(open);
    expect(worseBreaker(closed('m'), half)).toBe(half);
    expect(worseBreaker(half, open)).toBe(open);
  });

  it('breaks ties by the later trial when both are open, else by more failures, else the first', () => {
    const early: BreakerSummary = { name: 'a', state: 'open', failureCount: 5, nextAttemptAt: 10 };
    const late: BreakerSummary = { name: 'b', state: 'open', failureCount: 1, nextAttemptAt: 20 };
    expect(worseBreaker(early, late)).toBe(late);
    expect(worseBreaker(closed('a', 1), closed('b', 3)).name).toBe('b');
    expect(worseBreaker(closed('a', 1), closed('b', 1)).name).toBe('a');
  });
});

describe('gateBreaker', () => {
  it('reports the open transport breaker while the monitor one is closed, and creates nothing', async () => {
    const clock = new FakeClock(1_000_000);
    const manager = new RetryManager({ clock });
    expect(gateBreaker(manager, 'miner_operations:m1', 'http_requests:http://10.0.0.5')).toBeNull();
    expect(manager.size).toBe(0);
    manager.getCircuitBreaker('miner_operations:m1');
    const transport = manager.getCircuitBreaker('http_requests:http://10.0.0.5', {
      failureThreshold: 1,
      recoveryTimeoutMs: 30_000,
    });
    await transport.execute(() => Promise.reject(new Error('refused'))).catch(() => undefined);
    expect(gateBreaker(manager, 'miner_operations:m1', 'http_requests:http://10.0.0.5')).toEqual({
      name: 'http_requests:http://10.0.0.5',
      state: 'open',
      failureCount: 1,
      nextAttemptAt: 1_030_000,
    });
    expect(gateBreaker(manager, 'miner_operations:m1', null)?.name).toBe('miner_operations:m1');
  });
});
