import { afterEach, describe, expect, it } from 'vitest';
import { RetryManager } from '../../src/resilience/index.js';
import { FakeClock } from '../../src/resilience/testing.js';
import type { BreakerRegistry } from '../../src/server/deps.js';
import { AUTH, type Harness, harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

describe('the API over the real RetryManager', () => {
  it('lists and resets an open per-target breaker whose name holds ":" and "/"', async () => {
    const clock = new FakeClock(1_790_000_000_000);
    const manager = new RetryManager({ clock });
    const registry: BreakerRegistry = manager;
    const name = 'http_requests:http://10.0.0.5';
    const breaker = manager.getCircuitBreaker(name, { failureThreshold: 1 });
    await expect(
      breaker.execute(async () => {
        throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      }),
    ).rejects.toThrow('refused');
    expect(breaker.state).toBe('open');

    h = await harness({ breakers: registry });
    const listed = await h.app.inject({ url: '/api/resilience' });
    expect(listed.json()).toEqual(JSON.parse(JSON.stringify(manager.getStats())));
    expect(listed.json()[name]).toMatchObject({ state: 'open', failureCount: 1 });

    const res = await h.app.inject({
      method: 'POST',
      url: `/api/resilience/breakers/${encodeURIComponent(name)}/reset`,
      headers: AUTH,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name, reset: true, stats: { state: 'closed', failureCount: 0 } });
    expect(breaker.state).toBe('closed');

    const metrics = await h.app.inject({ url: '/metrics' });
    expect(metrics.body).toContain(`solowatch_breaker_state{breaker="${name}"} 0`);
    expect(metrics.body).toContain(`solowatch_breaker_refusals_total{breaker="${name}"} 0`);
  });
});
