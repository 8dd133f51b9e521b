/**
 * One contract for every notifier kind, run against a real local HTTP endpoint (127.0.0.1, port
 * 0) that can fail and recover: what arrives is a POST with a JSON body that carries the alert,
 * and a dead channel costs a counter, never an exception or the alert.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../miners/index.js';
import { RetryManager } from '../../resilience/index.js';
import type { AlertRecord } from '../../storage/Storage.js';
import { fetchSend, type HttpSend, httpClientSend } from './httpSend.js';
import { NotificationDispatcher } from './NotificationDispatcher.js';
import type { Notification } from './Notifier.js';
import { createNotifier, createNotifiers, NOTIFIER_FACTORIES, type NotifierConfig } from './registry.js';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

let server: Server;
let base = '';
const received: Received[] = [];
/** Status codes to answer with, in order; empty means 200. */
const plan: number[] = [];
let textAnswer = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text === '' ? null : JSON.parse(text),
      });
      const status = plan.shift() ?? 200;
      if (textAnswer) {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(status === 503 ? { 'retry-after': '0' } : {}),
      });
      res.end(JSON.stringify({ ok: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const alert: AlertRecord = {
  key: 'overheating:m1',
  minerId: 'm1',
  condition: 'overheating',
  severity: 'critical',
  message: 'bitaxe-1: Miner is overheating: chip 75.0 °C',
  openedAt: 1_700_000_000_000,
  lastNotifiedAt: 1_700_000_000_000,
  notifications: 1,
  clearedAt: null,
};
const notification: Notification = { action: 'opened', alert, minerName: 'bitaxe-1' };

function configs(): Record<string, NotifierConfig> {
  return {
    webhook: { kind: 'webhook', url: `${base}/hook`, headers: { 'x-token': 'abc' } },
    ntfy: { kind: 'ntfy', server: base, topic: 'miners', token: 'tk' },
    telegram: { kind: 'telegram', botToken: '123:ABC', chatId: 42, apiBase: base },
    discord: { kind: 'discord', webhookUrl: `${base}/api/webhooks/1/xyz` },
  };
}

/** Finds the alert's message anywhere in the JSON body. */
function mentions(body: unknown, text: string): boolean {
  return JSON.stringify(body).includes(JSON.stringify(text).slice(1, -1));
}

const client = new HttpClient();
afterAll(() => client.close());

const senders: Record<string, () => HttpSend> = {
  fetch: () => fetchSend,
  httpClient: () => httpClientSend(client),
};

describe.each(Object.keys(NOTIFIER_FACTORIES))('notifier contract: %s', (kind) => {
  it('builds a POST with a JSON body that carries the alert message and title', () => {
    const notifier = createNotifier(configs()[kind] as NotifierConfig);
    const request = notifier.buildRequest(notification);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(mentions(request.body, alert.message)).toBe(true);
    expect(JSON.stringify(request.body)).toContain('bitaxe-1');
    expect(notifier.kind).toBe(kind);
  });

  it('says resolved when the alert clears', () => {
    const notifier = createNotifier(configs()[kind] as NotifierConfig);
    const request = notifier.buildRequest({
      ...notification,
      action: 'cleared',
      alert: { ...alert, clearedAt: 1 },
    });
    expect(JSON.stringify(request.body)).toMatch(/RESOLVED|Resolved/);
  });

  it.each(Object.keys(senders))('delivers to a live endpoint through %s', async (sender) => {
    received.length = 0;
    const dispatcher = new NotificationDispatcher({
      notifiers: [createNotifier(configs()[kind] as NotifierConfig)],
      send: (senders[sender] as () => HttpSend)(),
      manager: new RetryManager(),
    });
    dispatcher.dispatch(notification);
    await dispatcher.drain();
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe('POST');
    expect(mentions(received[0]?.body, alert.message)).toBe(true);
    expect(Object.values(dispatcher.stats())[0]).toMatchObject({ sent: 1, failed: 0 });
    await dispatcher.close();
  });

  it('retries a failing endpoint and delivers once it recovers', async () => {
    received.length = 0;
    plan.push(503, 500);
    const dispatcher = new NotificationDispatcher({
      notifiers: [createNotifier(configs()[kind] as NotifierConfig)],
      send: fetchSend,
      manager: new RetryManager(),
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    dispatcher.dispatch(notification);
    await dispatcher.drain();
    expect(received).toHaveLength(3);
    expect(Object.values(dispatcher.stats())[0]).toMatchObject({ sent: 1, failed: 0 });
    await dispatcher.close();
  });

  it('counts a plain-text 2xx answer as delivered through the HttpClient', async () => {
    received.length = 0;
    textAnswer = true;
    const dispatcher = new NotificationDispatcher({
      notifiers: [createNotifier(configs()[kind] as NotifierConfig)],
      send: httpClientSend(client),
      manager: new RetryManager(),
    });
    dispatcher.dispatch(notification);
    await dispatcher.drain();
    textAnswer = false;
    expect(received).toHaveLength(1);
    expect(Object.values(dispatcher.stats())[0]).toMatchObject({ sent: 1, failed: 0 });
    await dispatcher.close();
  });

  it('does not retry a 4xx and counts the failure without throwing', async () => {
    received.length = 0;
    plan.push(400);
    const dispatcher = new NotificationDispatcher({
      notifiers: [createNotifier(configs()[kind] as NotifierConfig)],
      send: fetchSend,
      manager: new RetryManager(),
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    expect(() => dispatcher.dispatch(notification)).not.toThrow();
    await dispatcher.drain();
    expect(received).toHaveLength(1);
    expect(Object.values(dispatcher.stats())[0]).toMatchObject({ sent: 0, failed: 1 });
    await dispatcher.close();
  });
});

describe('notification dispatcher', () => {
  it('a dead channel opens its own breaker and does not affect another channel', async () => {
    received.length = 0;
    const manager = new RetryManager();
    const dispatcher = new NotificationDispatcher({
      notifiers: createNotifiers([
        { kind: 'webhook', name: 'dead', url: 'http://127.0.0.1:1/nothing' },
        { kind: 'webhook', name: 'alive', url: `${base}/ok` },
      ]),
      send: fetchSend,
      manager,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, failureThreshold: 2 },
    });
    for (let i = 0; i < 3; i += 1) dispatcher.dispatch(notification);
    await dispatcher.drain();
    const stats = dispatcher.stats();
    expect(stats.alive).toMatchObject({ sent: 3, failed: 0 });
    expect(stats.dead).toMatchObject({ sent: 0, failed: 3 });
    expect(manager.getStats()['notifier:dead']?.state).toBe('open');
    expect(manager.getStats()['notifier:alive']?.state).toBe('closed');
    await dispatcher.close();
  });

  it('refuses unknown kinds and duplicate names with a clear message', () => {
    expect(() => createNotifier({ kind: 'pager' } as never)).toThrow(/Unknown notifier kind "pager"/);
    expect(() => createNotifier({ kind: 'webhook', url: 'ftp://x' })).toThrow(/url/);
    expect(() =>
      createNotifiers([
        { kind: 'ntfy', topic: 'a' },
        { kind: 'ntfy', topic: 'b' },
      ]),
    ).toThrow(/unique/);
  });
});
