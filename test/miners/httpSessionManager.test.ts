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
} from './helpers.js';

const cleanups = cleanupsAfterEach();

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Local<unknown> & { hits: () => number }> {
  let hits = 0;
  const local = await httpServer((req, res) => {
    hits += 1;
    handler(req, res);
  });
  cleanups.push(local.close);
  return { ...local, hits: () => hits };
}

function session(options: HttpSessionOptions = {}): {
  manager: HttpSessionManager;
  clock: SteppingClock;
} {
  const clock = new SteppingClock();
  const manager = new HttpSessionManager({ clock, random: () => 0.5, ...options });
  cleanups.push(() => manager.close());
  return { manager, clock };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('HttpSessionManager', () => {
  it('answers JSON', async () => {
    const local = await serve((_req, res) => json(res, 200, { ok: true }));
    const { manager } = session();
    const response = await manager.makeRequest('GET', `${local.origin}/api/system/info`);
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });

  it('maps a refused connection to MinerConnectionError, keeps the cause and retries it', async () => {
    const port = await deadPort();
    const { manager, clock } = session();
    const error = await rejectionOf(manager.makeRequest('GET', `http://127.0.0.1:${port}/x`));
    expect(error).toBeInstanceOf(MinerConnectionError);
    expect(
      JSON.stringify((error as Error).cause, Object.getOwnPropertyNames((error as Error).cause)),
    ).toContain('ECONNREFUSED');
    expect(clock.sleeps).toHaveLength(2);
  });

  it('maps a hang to MinerTimeoutError after the total timeout', async () => {
    const local = await serve(() => {});
    const { manager } = session({ timeoutMs: 150 });
    const started = Date.now();
    const error = await rejectionOf(manager.makeRequest('GET', `${local.origin}/x`, { maxAttempts: 1 }));
    expect(error).toBeInstanceOf(MinerTimeoutError);
    expect((error as MinerTimeoutError).timeoutMs).toBe(150);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('retries 503 after the Retry-After it names, and reports status and retryAfterMs', async () => {
    const local = await serve((_req, res) => json(res, 503, {}, { 'retry-after': '7' }));
    const { manager, clock } = session();
    const error = await rejectionOf(manager.makeRequest('GET', `${local.origin}/x`));
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).status).toBe(503);
    expect((error as HttpStatusError).retryAfterMs).toBe(7000);
    expect(local.hits()).toBe(3);
    expect(clock.sleeps).toEqual([7000, 7000]);
  });

  it('does not retry a 404', async () => {
    const local = await serve((_req, res) => json(res, 404, {}));
    const { manager } = session();
    const error = await rejectionOf(manager.makeRequest('GET', `${local.origin}/x`));
    expect((error as HttpStatusError).status).toBe(404);
    expect(local.hits()).toBe(1);
  });

  it('sends a POST once unless it is declared idempotent', async () => {
    const local = await serve((_req, res) => json(res, 500, {}));
    const { manager } = session();
    await rejectionOf(manager.makeRequest('POST', `${local.origin}/x`));
    expect(local.hits()).toBe(1);
    await rejectionOf(manager.makeRequest('POST', `${local.origin}/x`, { idempotent: true }));
    expect(local.hits()).toBe(4);
  });

  it('names the URL when the body is not JSON, and does not retry it', async () => {
    const local = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>router</html>');
    });
    const client = new HttpClient({ sessionManager: session().manager });
    const error = await rejectionOf(client.getJson(`${local.origin}/api/system/info`));
    expect(error).toBeInstanceOf(MinerResponseError);
    expect((error as Error).message).toContain(`${local.origin}/api/system/info`);
    expect((error as MinerResponseError).retryable).toBe(false);
    expect(local.hits()).toBe(1);
  });

  it('stops reading past the size cap, declared or streamed', async () => {
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
    const { manager } = session({ maxResponseBytes: 1024 });
    for (const local of [declared, streamed]) {
      const error = await rejectionOf(manager.makeRequest('GET', `${local.origin}/x`));
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect((error as ResponseTooLargeError).limitBytes).toBe(1024);
      expect(local.hits()).toBe(1);
    }
  });

  it('keeps no breaker of its own: a failing origin is asked every time', async () => {
    // Each miner's one breaker is the monitor's `miner_operations:<id>` (DESIGN.md); a breaker
    // here would refuse calls that one never saw.
    const flaky = await serve((_req, res) => json(res, 500, {}));
    const { manager } = session();
    for (let call = 1; call <= 8; call += 1) {
      const error = await rejectionOf(manager.makeRequest('GET', `${flaky.origin}/x`, { maxAttempts: 1 }));
      expect(error).toBeInstanceOf(HttpStatusError);
      expect(flaky.hits()).toBe(call);
    }
  });

  it('rejects with the signal reason when aborted', async () => {
    const local = await serve(() => {});
    const { manager } = session();
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 20);
    expect(
      await rejectionOf(manager.makeRequest('GET', `${local.origin}/x`, { signal: controller.signal })),
    ).toBe(reason);
  });

  it('refuses requests after close, and refuses bad input', async () => {
    const { manager } = session();
    await expect(manager.makeRequest('GET', 'ftp://127.0.0.1/x')).rejects.toThrow(/http\(s\) URL/);
    await manager.close();
    await expect(manager.makeRequest('GET', 'http://127.0.0.1:1/x')).rejects.toThrow(/closed/);
    expect(() => new HttpSessionManager({ timeoutMs: -1 })).toThrow(/`timeoutMs`/);
  });

  it('reuses one socket with keep-alive, and opens one per request without', async () => {
    const seen = new Set<unknown>();
    const local = await serve((req, res) => {
      seen.add(req.socket);
      json(res, 200, {});
    });
    const kept = session({ connectionsPerOrigin: 1 }).manager;
    for (let i = 0; i < 3; i += 1) await kept.makeRequest('GET', `${local.origin}/x`);
    expect(seen.size).toBe(1);
    seen.clear();
    const fresh = session({ keepAlive: false }).manager;
    for (let i = 0; i < 3; i += 1) await fresh.makeRequest('GET', `${local.origin}/x`);
    expect(seen.size).toBe(3);
  });
});

describe('HttpClient', () => {
  it('sends Basic auth and JSON bodies', async () => {
    let auth: string | undefined;
    let body = '';
    const local = await serve((req, res) => {
      auth = req.headers.authorization;
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => json(res, 200, { got: JSON.parse(body || 'null') }));
    });
    const clock = new SteppingClock();
    await using client = new HttpClient({
      session: { clock },
      auth: { username: 'admin', password: 'p:w' },
    });
    expect(await client.postJson(`${local.origin}/x`, { a: 1 })).toEqual({ got: { a: 1 } });
    expect(auth).toBe(`Basic ${Buffer.from('admin:p:w').toString('base64')}`);
  });

  it('checks health without ever throwing', async () => {
    const up = await serve((_req, res) => json(res, 200, {}));
    const down = await serve((_req, res) => json(res, 503, {}));
    const port = await deadPort();
    const client = new HttpClient({ sessionManager: session().manager });
    const ok = await client.checkEndpointHealth(`${up.origin}/`);
    expect(ok).toMatchObject({ reachable: true, status: 200, error: null });
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await client.checkEndpointHealth(`${down.origin}/`)).toMatchObject({
      reachable: true,
      status: 503,
    });
    const dead = await client.checkEndpointHealth(`http://127.0.0.1:${port}/`);
    expect(dead).toMatchObject({ reachable: false, status: null });
    expect(dead.error).toMatch(/ECONNREFUSED|connect/);
    expect(down.hits()).toBe(1);
  });

  it('closes pools nobody used for 10 minutes when new origins come', async () => {
    const first = await serve((_req, res) => json(res, 200, {}));
    const second = await serve((_req, res) => json(res, 200, {}));
    const { manager, clock } = session();
    await manager.makeRequest('GET', `${first.origin}/x`);
    clock.advance(11 * 60_000);
    await manager.makeRequest('GET', `${second.origin}/x`);
    expect(manager.origins).toEqual([second.origin]);
    expect((await manager.makeRequest('GET', `${first.origin}/x`)).status).toBe(200);
  });
});
