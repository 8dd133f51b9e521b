// Classification of errors produced by real sockets and a real SQLite file, not hand-made ones:
// if Node, undici or better-sqlite3 change how they report failures, these tests notice.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRetryable } from '../../src/resilience/index.js';
import { failure } from './settle.js';

function listen<S extends Server | HttpServer>(server: S): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no port'));
      else resolve(address.port);
    });
  });
}

function close(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await close(server);
  return port;
}

function connectError(port: number): Promise<unknown> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.on('error', resolve);
    socket.on('connect', () => {
      socket.destroy();
      resolve(new Error('connected'));
    });
  });
}

describe('refused connection', () => {
  it('node:net gives ECONNREFUSED, retryable', async () => {
    const error = await connectError(await closedPort());
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isRetryable(error)).toBe(true);
  });

  it('undici fetch gives a `fetch failed` TypeError whose cause is ECONNREFUSED, retryable', async () => {
    const error = await failure(undiciFetch(`http://127.0.0.1:${await closedPort()}/api/system/info`));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isRetryable(error)).toBe(true);
  });

  it("Node's global fetch behaves the same", async () => {
    const error = await failure(fetch(`http://127.0.0.1:${await closedPort()}/`));
    expect((error as Error).message).toBe('fetch failed');
    expect(isRetryable(error)).toBe(true);
  });
});

describe('a server that kills connections', () => {
  let server: Server;
  let port: number;
  let mode: 'destroy' | 'reset' | 'silent' = 'destroy';

  const sockets = new Set<Socket>();

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      if (mode === 'reset') socket.resetAndDestroy();
      else if (mode === 'destroy') socket.once('data', () => socket.destroy());
      // silent: accept and never answer
    });
    port = await listen(server);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await close(server);
  });

  it('undici reports a closed socket as UND_ERR_SOCKET, retryable', async () => {
    mode = 'destroy';
    const error = await failure(undiciFetch(`http://127.0.0.1:${port}/`));
    expect((error as Error).cause).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(isRetryable(error)).toBe(true);
  });

  it('a TCP reset reaches node:net as ECONNRESET, retryable', async () => {
    mode = 'reset';
    const error = await new Promise<unknown>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () =>
        socket.write('{"command":"summary"}'),
      );
      socket.on('error', resolve);
      socket.on('close', () => resolve(new Error('closed without error')));
    });
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(isRetryable(error)).toBe(true);
  });

  it('a server that never answers trips undici headersTimeout, retryable', async () => {
    mode = 'silent';
    const dispatcher = new Agent({ headersTimeout: 50, connectTimeout: 1000 });
    try {
      const error = await failure(undiciFetch(`http://127.0.0.1:${port}/`, { dispatcher }));
      expect((error as Error).cause).toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
      expect(isRetryable(error)).toBe(true);
    } finally {
      await dispatcher.close().catch(() => undefined);
    }
  });

  it('a fetch aborted by its caller is not retryable', async () => {
    mode = 'silent';
    const controller = new AbortController();
    const pending = failure(undiciFetch(`http://127.0.0.1:${port}/`, { signal: controller.signal }));
    controller.abort();
    const error = await pending;
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(isRetryable(error)).toBe(false);
  });
});

describe('HTTP status from a real server', () => {
  let server: HttpServer;
  let port: number;
  beforeAll(async () => {
    server = createHttpServer((request, response) => {
      response.statusCode = Number(request.url?.slice(1));
      response.end();
    });
    port = await listen(server);
  });
  afterAll(() => close(server));

  it.each([
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [404, false],
    [422, false],
  ])('a Response-derived error with status %i is retryable=%s', async (status, expected) => {
    const response = await undiciFetch(`http://127.0.0.1:${port}/${status}`);
    await response.arrayBuffer();
    const error = Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
    expect(isRetryable(error)).toBe(expected);
  });
});

describe('SQLite lock contention', () => {
  let dir: string;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('a write while another connection holds the write lock gives SQLITE_BUSY, retryable', () => {
    dir = mkdtempSync(join(tmpdir(), 'solowatch-resilience-'));
    const file = join(dir, 'busy.db');
    const holder = new Database(file);
    const writer = new Database(file, { timeout: 0 });
    try {
      holder.pragma('journal_mode = WAL');
      holder.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      holder.exec('BEGIN IMMEDIATE');
      holder.prepare('INSERT INTO t (v) VALUES (?)').run('held');
      let error: unknown;
      try {
        writer.prepare('INSERT INTO t (v) VALUES (?)').run('blocked');
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ name: 'SqliteError' });
      expect((error as { code: string }).code.startsWith('SQLITE_BUSY')).toBe(true);
      expect(isRetryable(error)).toBe(true);
      holder.exec('COMMIT');
      writer.prepare('INSERT INTO t (v) VALUES (?)').run('now fine');
    } finally {
      holder.close();
      writer.close();
    }
  });

  it('a constraint violation is not retryable', () => {
    dir = mkdtempSync(join(tmpdir(), 'solowatch-resilience-'));
    const db = new Database(join(dir, 'c.db'));
    try {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      db.exec('INSERT INTO t VALUES (1)');
      let error: unknown;
      try {
        db.exec('INSERT INTO t VALUES (1)');
      } catch (caught) {
        error = caught;
      }
      expect((error as { code: string }).code).toMatch(/^SQLITE_CONSTRAINT/);
      expect(isRetryable(error)).toBe(false);
    } finally {
      db.close();
    }
  });
});
