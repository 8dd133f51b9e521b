/**
 * One request on a connection of its own (node:http, no keep-alive), closed after the answer: the
 * path for a request that cannot reuse a connection (the origin's last request was longer ago
 * than the idle cap, as with a 10 s poll). Measured against an undici Client per request
 * (docs/bench/monitor.md): ~100 us less client CPU per poll, and nothing outlives the answer,
 * where undici's coarse timers hold each finished connection for up to a second, long enough for
 * V8 to promote it into the old generation.
 *
 * Failures carry the codes the undici path gives the same condition, so one mapping
 * (transportError.ts) serves both: `UND_ERR_CONNECT_TIMEOUT` when no connection came in time
 * (nothing was sent), `ETIMEDOUT` when the answer did not finish within `timeoutMs` of
 * connecting; socket and parser errors keep node's codes (ECONNREFUSED, ECONNRESET, HPE_*).
 */
import http from 'node:http';
import https from 'node:https';
import type { HeaderValue } from './HttpResponse.js';
import { tooLarge } from './readBody.js';

export interface FreshRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly body: string | Uint8Array | undefined;
  readonly signal: AbortSignal | undefined;
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  readonly limitBytes: number;
}

export interface FreshReply {
  readonly status: number;
  readonly headers: Record<string, HeaderValue>;
  /** The whole body for a 2xx answer; null otherwise (it was not read). */
  readonly body: Buffer | null;
}

/**
 * Without keep-alive an agent closes each socket after its answer, as `agent: false` does, but
 * `agent: false` builds a whole Agent per request (measured: a tenth of what a poll allocates).
 */
const HTTP_AGENT = new http.Agent({ keepAlive: false });
const HTTPS_AGENT = new https.Agent({ keepAlive: false });

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

export function freshRequest(request: FreshRequest): Promise<FreshReply> {
  const { url, signal, limitBytes } = request;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const what = `${request.method} ${url.href}`;
  return new Promise<FreshReply>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const secure = url.protocol === 'https:';
    const transport = secure ? https : http;
    const req = transport.request({
      protocol: url.protocol,
      // URL keeps IPv6 hosts bracketed; the socket wants them bare.
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: request.method,
      agent: secure ? HTTPS_AGENT : HTTP_AGENT,
      ...(request.headers === undefined ? {} : { headers: request.headers }),
    });
    const onAbort = (): void => settle(signal?.reason);
    function settle(error: unknown, reply?: FreshReply): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (reply !== undefined) {
        resolve(reply);
        return;
      }
      req.destroy();
      reject(error);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(
      () => settle(coded(`no connection within ${request.connectTimeoutMs} ms`, 'UND_ERR_CONNECT_TIMEOUT')),
      request.connectTimeoutMs,
    );
    req.on('socket', (socket) => {
      socket.once('connect', () => {
        clearTimeout(timer);
        timer = setTimeout(
          () => settle(coded(`deadline of ${request.timeoutMs} ms passed`, 'ETIMEDOUT')),
          request.timeoutMs,
        );
      });
    });
    req.on('error', settle);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const headers = res.headers as Record<string, HeaderValue>;
      res.on('error', settle);
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > limitBytes) {
        settle(tooLarge(what, limitBytes));
        return;
      }
      if (status < 200 || status > 299) {
        // The body of an error page is not needed.
        settle(null, { status, headers, body: null });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limitBytes) settle(tooLarge(what, limitBytes));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
        settle(null, { status, headers, body });
      });
      res.on('close', () => {
        if (!res.complete) settle(coded(`${what}: the connection closed mid-answer`, 'ECONNRESET'));
      });
    });
    req.end(request.body);
  });
}
