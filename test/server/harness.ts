import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/buildApp.js';
import type { AppDeps } from '../../src/server/deps.js';
import { FakeBreakers, FakeMonitor, minerView, NOW } from './fakes.js';

export const TOKEN = 'test-token-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

export interface Harness {
  readonly app: FastifyInstance;
  readonly monitor: FakeMonitor;
  readonly breakers: FakeBreakers;
}

export async function harness(overrides: Partial<AppDeps> = {}): Promise<Harness> {
  const monitor = new FakeMonitor();
  monitor.miners.set('m1', minerView('m1'));
  const breakers = new FakeBreakers();
  breakers.add('database');
  breakers.add('miner_operations:m1', 'open', 5);
  breakers.add('http_requests:http://10.0.0.5', 'half_open', 2);
  const app = await buildApp({
    monitor,
    breakers,
    token: TOKEN,
    listenHost: '127.0.0.1',
    version: '1.2.3',
    webRoot: null,
    clock: { now: () => NOW },
    ...overrides,
  });
  return { app, monitor, breakers };
}
