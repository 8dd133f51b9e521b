// Plain node:http / node:net clients for the simulator's own tests: no driver code involved.
import { request } from 'node:http';
import { connect } from 'node:net';
import type { SimClock } from './types.js';

export interface RawHttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP exchange; rejects with the socket error (ECONNRESET, ECONNREFUSED ...). */
export function httpRequest(
  port: number,
  path: string,
  options: { method?: string; timeoutMs?: number; agent?: false } = {},
): Promise<RawHttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
        res.on('aborted', () => reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
      },
    );
    req.on('error', reject);
    if (options.timeoutMs)
      req.setTimeout(options.timeoutMs, () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
      );
    req.end();
  });
}

/** One cgminer exchange: send, then read until the server closes. */
export function tcpAsk(port: number, text: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.write(text);
  });
}

/** A clock that moves only when told. */
export class ManualClock implements SimClock {
  constructor(public time = 1_750_000_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}
