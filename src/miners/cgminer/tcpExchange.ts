/**
 * One cgminer exchange: connect, write one request, read until the NUL (or the server closes),
 * with a connect timeout, a total deadline and a size cap. No socket outlives the call.
 */
import { connect, type Socket } from 'node:net';
import { MinerTimeoutError } from '../../resilience/index.js';
import { tooLarge } from '../http/readBody.js';
import { mapTransportError } from '../http/transportError.js';

export interface ExchangeOptions {
  readonly host: string;
  readonly port: number;
  readonly request: string;
  /** `cgminer host:port command`, for messages. */
  readonly what: string;
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly signal?: AbortSignal;
}

export interface ExchangeResult {
  readonly text: string;
  /** True when the reply ended with its NUL; false when the server just closed. */
  readonly terminated: boolean;
}

export function tcpExchange(options: ExchangeOptions): Promise<ExchangeResult> {
  const { host, port, what, connectTimeoutMs, timeoutMs, maxResponseBytes, signal } = options;
  const target = `${host}:${port}`;
  return new Promise<ExchangeResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let connected = false;
    const socket: Socket = connect({ host, port });
    const finish = (error: unknown, result?: ExchangeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error === undefined && result !== undefined) resolve(result);
      else reject(error);
    };
    const onAbort = (): void => finish(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const connectTimer = setTimeout(() => {
      // Coded as undici codes its own, so failedBeforeSending knows nothing was sent.
      const never = Object.assign(new Error(`no connection within ${connectTimeoutMs} ms`), {
        code: 'UND_ERR_CONNECT_TIMEOUT',
      });
      if (!connected) finish(mapTransportError(never, { what, target, timeoutMs, connectTimeoutMs }));
    }, connectTimeoutMs);
    const deadline = setTimeout(() => {
      finish(
        new MinerTimeoutError(`${what}: no complete answer within ${timeoutMs} ms`, { target, timeoutMs }),
      );
    }, timeoutMs);
    const done = (terminated: boolean): void =>
      finish(undefined, { text: Buffer.concat(chunks, size).toString('utf8'), terminated });
    socket.on('connect', () => {
      connected = true;
      clearTimeout(connectTimer);
      socket.write(options.request);
    });
    socket.on('data', (chunk: Buffer) => {
      const nul = chunk.indexOf(0);
      const piece = nul === -1 ? chunk : chunk.subarray(0, nul);
      size += piece.length;
      if (size > maxResponseBytes) {
        finish(tooLarge(what, maxResponseBytes));
        return;
      }
      chunks.push(piece);
      if (nul !== -1) done(true);
    });
    socket.on('end', () => done(false));
    socket.on('error', (error) => {
      finish(mapTransportError(error, { what, target, timeoutMs, connectTimeoutMs }));
    });
    socket.on('close', () => {
      if (!settled) done(false);
    });
  });
}
