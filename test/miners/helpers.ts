/** Test helpers for the miners area: a clock that jumps instead of waiting, and local servers. */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { afterEach } from 'vitest';
import type { Clock } from '../../src/resilience/index.js';

/** Every sleep returns at once and moves time forward by its length; the delays are recorded. */
export class SteppingClock implements Clock {
  t: number;
  readonly sleeps: number[] = [];

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    this.t += ms;
    return Promise.resolve();
  }

  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Local<S> {
  readonly server: S;
  readonly port: number;
  readonly origin: string;
  close(): Promise<void>;
}

export function httpServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Local<Server>> {
  return listenLocally(createHttpServer(handler), (port) => `http://127.0.0.1:${port}`);
}

/** A TCP server: `onData` gets each request text (JSON requests arrive in one piece locally). */
export function tcpServer(onConnection: (socket: Socket) => void): Promise<Local<TcpServer>> {
  return listenLocally(createTcpServer(onConnection), (port) => `127.0.0.1:${port}`);
}

/** Listens on a free port of 127.0.0.1; closing also ends the connections still open. */
async function listenLocally<S extends TcpServer>(
  server: S,
  originOf: (port: number) => string,
): Promise<Local<S>> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    origin: originOf(port),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function deadPort(): Promise<number> {
  const local = await tcpServer(() => {});
  await local.close();
  return local.port;
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/**
 * Registers an afterEach that runs, newest first, the cleanups a test pushed (servers, sessions),
 * so a failing assertion never leaves a socket open for the next test. Returns the list to push to.
 */
export function cleanupsAfterEach(): (() => Promise<void>)[] {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  });
  return cleanups;
}
