/**
 * The session's two paths give the same answers and the same errors: a request that can reuse a
 * connection goes through the origin's undici Client, one that cannot (keep-alive off, or the
 * origin's last request longer ago than the idle cap, as with a 10 s poll) through a connection
 * of its own that closes after the answer. Every case runs on both.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  HttpClient,
  HttpSessionManager,
  type HttpSessionOptions,
  MinerResponseError,
  ResponseTooLargeError,
} from '../../src/miners/index.js';
import { HttpStatusError, MinerConnectionError, MinerTimeoutError } from '../../src/resilience/index.js';
import {
  cleanupsAfterEach,
  deadPort,
  httpServer,
  type Local,
  rejectionOf,
  SteppingClock,
  tcpServer,
} from './helpers.js';

const cleanups = cleanupsAfterEach();

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Local<unknown>> {
  const local = await httpServer(handler);
  cleanups.push(local.close);
  return local;
}

function session(options: HttpSessionOptions = {}): { manager: HttpSessionManager; clock: SteppingClock } {
  const clock = new SteppingClock();
  const manager = new HttpSessionManager({
    clock,
    random: () => 0.5,
    ...options,
  });
  cleanups.push(() => manager.close());
  return { manager, clock };
}

const PATHS = [
  { path: 'a kept connection', keepAlive: true },
  { path: 'a connection of its own', keepAlive: false },
] as const;

describe.each(PATHS)('HttpSessionManager through $path', ({ keepAlive }) => {
  it('answers, with the headers as the device sent them', async () => {
    const local = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-thing': 'a' });
      res.end('{"ok":true}');
    });
    const { manager } = session({ keepAlive });
    const response = await manager.makeRequest('GET', `${local.origin}/api/system/info?x=1`);
    expect(response.json()).toEqual({ ok: true });
    expect(response.header('X-Thing')).toBe('a');
    expect(response.url).toBe(`${local.origin}/api/system/info?x=1`);
  });

  it('sends the body and headers of a POST', async () => {
    let got = '';
    let type: string | undefined;
    const local = await serve((req, res) => {
      type = req.headers['content-type'];
      req.on('data', (chunk: Buffer) => {
        got += chunk.toString();
      });
      req.on('end', () => res.end('{}'));
    });
    const client = new HttpClient({ sessionManager: session({ keepAlive }).manager });
    await client.postJson(`${local.origin}/x`, { a: 1 });
    expect(JSON.parse(got)).toEqual({ a: 1 });
    expect(type).toBe('application/json');
  });

  it('maps a refused connection to MinerConnectionError that says nothing was sent', async () => {
    const port = await deadPort();
    const { manager, clock } = session({ keepAlive });
    const error = await rejectionOf(manager.makeRequest('GET', `http://127.0.0.1:${port}/x`));
    expect(error).toBeInstanceOf(MinerConnectionError);
    const { failedBeforeSending } = await import('../../src/miners/http/transportError.js');
    expect(failedBeforeSending(error)).toBe(true);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('maps a hang, and a device that drips its answer, to MinerTimeoutError', async () => {
    const hang = await serve(() => {});
    const drip = await serve((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write(' '), 30);
      res.on('close', () => clearInterval(timer));
    });
    const { manager } = session({ keepAlive, timeoutMs: 200 });
    for (const local of [hang, drip]) {
      const started = Date.now();
      const error = await rejectionOf(manager.makeRequest('GET', `${local.origin}/x`, { maxAttempts: 1 }));
      expect(error).toBeInstanceOf(MinerTimeoutError);
      expect((error as MinerTimeoutError).timeoutMs).toBe(200);
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('reports status and Retry-After of an error answer', async () => {
    const local = await serve((_req, res) => {
      res.writeHead(503, { 'retry-after': '7' });
      res.end('busy');
    });
    const { manager, clock } = session({ keepAlive });
    const error = await rejectionOf(manager.makeRequest('GET', `${local.origin}/x`));
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).status).toBe(503);
    expect((error as HttpStatusError).retryAfterMs).toBe(7000);
    expect(clock.sleeps).toEqual([7000, 7000]);
  });

  it('stops at the size cap, declared or streamed, session-wide or per request', async () => {
    const big = 'x'.repeat(2048);
    const declared = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(big.length) });
      res.end(big);
    });
    const streamed = await serve((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 8; i += 1) res.write(big);
      res.end();
    });
    const { manager } = session({ keepAlive, maxResponseBytes: 1024 });
    for (const local of [declared, streamed]) {
      const error = await rejectionOf(manager.makeRequest('GET', `${local.origin}/x`));
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect((error as ResponseTooLargeError).limitBytes).toBe(1024);
      const own = await rejectionOf(
        manager.makeRequest('GET', `${local.origin}/x`, { maxResponseBytes: 512 }),
      );
      expect((own as ResponseTooLargeError).limitBytes).toBe(512);
    }
  });

  it('maps an answer that is not HTTP to MinerResponseError, and a cut answer to MinerConnectionError', async () => {
    const garbage = await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    cleanups.push(garbage.close);
    const cut = await tcpServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"a":'));
    });
    cleanups.push(cut.close);
    const { manager } = session({ keepAlive });
    const notHttp = await rejectionOf(
      manager.makeRequest('GET', `http://${garbage.origin}/x`, { maxAttempts: 1 }),
    );
    expect(notHttp).toBeInstanceOf(MinerResponseError);
    const dropped = await rejectionOf(
      manager.makeRequest('GET', `http://${cut.origin}/x`, { maxAttempts: 1 }),
    );
    expect(dropped).toBeInstanceOf(MinerConnectionError);
  });

  it('rejects with the signal reason when aborted, before or during the request', async () => {
    const local = await serve(() => {});
    const { manager } = session({ keepAlive });
    const reason = new Error('stop');
    expect(
      await rejectionOf(
        manager.makeRequest('GET', `${local.origin}/x`, { signal: AbortSignal.abort(reason) }),
      ),
    ).toBe(reason);
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 20);
    expect(
      await rejectionOf(manager.makeRequest('GET', `${local.origin}/x`, { signal: controller.signal })),
    ).toBe(reason);
  });
});

describe('HttpSessionManager connections', () => {
  it('closes after the answer when the origin was idle longer than the keep-alive cap', async () => {
    const sockets = new Set<unknown>();
    const connection: (string | undefined)[] = [];
    const local = await serve((req, res) => {
      sockets.add(req.socket);
      connection.push(req.headers.connection);
      res.end('{}');
    });
    const { manager, clock } = session({ keepAliveTimeoutMs: 4000 });
    await manager.makeRequest('GET', `${local.origin}/x`);
    await manager.makeRequest('GET', `${local.origin}/x`);
    expect(sockets.size).toBe(1);
    clock.advance(10_000);
    await manager.makeRequest('GET', `${local.origin}/x`);
    expect(sockets.size).toBe(2);
    expect(connection[2]).toBe('close');
  });

  it('forgets an origin once its connection is gone', async () => {
    const local = await serve((_req, res) => {
      res.setHeader('connection', 'close');
      res.end('{}');
    });
    const { manager } = session();
    await manager.makeRequest('GET', `${local.origin}/x`);
    for (let i = 0; i < 50 && manager.origins.length > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(manager.origins).toEqual([]);
    expect((await manager.makeRequest('GET', `${local.origin}/x`)).status).toBe(200);
  });
});
