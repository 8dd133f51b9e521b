/** The real HTTP server (`buildApp`) over the stand-in monitor, listening on 127.0.0.1:0. */
import { fileURLToPath } from 'node:url';
import { RetryManager } from '../../src/resilience/index.js';
import { buildApp } from '../../src/server/buildApp.js';
import { FakeMonitor, HOSTILE } from './fakeMonitor.js';
import type { Target } from './target.js';

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

export const FAKE_TOKEN = 'e2e-token-0123456789abcdef';

/**
 * `exposed` builds the app as if it listened beyond loopback (every request needs the token)
 * while it still listens on 127.0.0.1 only.
 */
export async function startFakeTarget(options: { exposed?: boolean; port?: number } = {}): Promise<Target> {
  const breakers = new RetryManager();
  const monitor = new FakeMonitor(breakers);
  const app = await buildApp({
    monitor,
    breakers,
    token: FAKE_TOKEN,
    listenHost: options.exposed === true ? '0.0.0.0' : '127.0.0.1',
    version: 'e2e',
    webRoot: WEB_ROOT,
    heartbeatMs: 1000,
  });
  const address = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return {
    url: `${address}/`,
    hostileText: HOSTILE,
    async hostileMinerId() {
      return 'm3';
    },
    async anyMinerId() {
      return 'm1';
    },
    async openBreaker() {
      const name = 'miner_operations:m2';
      const breaker = breakers.getCircuitBreaker(name);
      for (let i = 0; i < 20 && breaker.state !== 'open'; i += 1) {
        await breaker.execute(() => Promise.reject(new Error('simulated failure'))).catch(() => undefined);
      }
      if (breaker.state !== 'open') throw new Error(`breaker ${name} did not open`);
      return name;
    },
    async close() {
      monitor.close();
      await app.close();
    },
  };
}
