import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Json } from './axeosInfo.js';
import { DEFAULT_OVERSIZED_BYTES, inflateJson, scrambleTypes, truncateJson } from './bodyFaults.js';
import type { prepare } from './common.js';
import type { FaultInjector, FaultKind, FaultPlan } from './faults.js';
import type { MinerModel } from './model.js';
import { rebootNow } from './restartFlow.js';
import { DeviceRuntime, RESET_DELAY_MS } from './runtime.js';
import type { SimulatedDevice } from './types.js';

export interface HttpRequestInfo {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The request body as text ('' when none). */
  readonly body: string;
  /** The Authorization header, when sent. */
  readonly authorization?: string;
}

export type HttpReply =
  | { status: number; json: Json; afterSend?: () => void }
  | { status: number; text: string; contentType?: string; location?: string; afterSend?: () => void };

export interface HttpDeviceConfig {
  host: string;
  port: number;
  model: MinerModel;
  faults: FaultInjector;
  route: (request: HttpRequestInfo) => HttpReply | null;
  /** The answer to a path `route` does not know, as the firmware gives it (see unknownPathReply). */
  unknownPath: UnknownPath;
  /** Send `Connection: close` on every answer (NerdQAxe). */
  closeEveryConnection: boolean;
  /** Open sockets the device accepts before it drops new ones. */
  maxConnections: number;
  /** How long each answer takes (see CommonDeviceOptions). @default 0 */
  responseDelayMs?: number;
  /** The Authorization header every request must carry; null asks none (see CommonDeviceOptions). */
  authorization?: string | null;
}

/**
 * How ESP-Miner's web server answers a path it has no handler for: up to AxeOS v2.8 (and in the
 * NerdQAxe fork) a catch-all 302 to the captive portal "/"; from v2.9 an unknown /api path is a
 * 404 with `{"error":"unknown route"}` (http_server.c), other paths still go to the portal.
 */
export type UnknownPath = 'redirect' | 'json404';

export function unknownPathReply(kind: UnknownPath, request: HttpRequestInfo): HttpReply {
  if (kind === 'json404' && request.path.startsWith('/api/')) {
    return { status: 404, json: { error: 'unknown route' } };
  }
  return { status: 302, text: 'Redirect to the captive portal', location: '/' };
}

const bootOf = new WeakMap<Socket, number>();
const firstFaultOf = new WeakMap<Socket, FaultKind | null>();

/** An HTTP device: routes answers, and plays the fault the injector picks for each request. */
export class HttpDevice {
  readonly runtime: DeviceRuntime;
  readonly #config: HttpDeviceConfig;
  #requests = 0;

  constructor(config: HttpDeviceConfig) {
    this.#config = config;
    const server = createServer({ keepAlive: !config.closeEveryConnection }, (req, res) =>
      this.#onRequest(req, res),
    );
    server.maxConnections = config.maxConnections;
    // A fleet of thousands keeps idle sockets open; the device, not node, decides when to drop.
    server.keepAliveTimeout = 15_000;
    this.runtime = new DeviceRuntime(server, config.host, config.port);
    server.on('connection', (socket: Socket) => this.#onConnection(socket));
  }

  get requestCount(): number {
    return this.#requests;
  }

  #onConnection(socket: Socket): void {
    const { model, faults } = this.#config;
    if (!model.isUp()) {
      socket.resetAndDestroy();
      return;
    }
    const fault = faults.next();
    if (fault === 'refuse') {
      this.#requests += 1;
      socket.resetAndDestroy();
      return;
    }
    bootOf.set(socket, model.bootCount);
    firstFaultOf.set(socket, fault);
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    const { model, faults } = this.#config;
    this.#requests += 1;
    // A keep-alive socket from before a reboot is dead on a real device.
    if (!model.isUp() || bootOf.get(socket) !== model.bootCount) {
      socket.destroy();
      return;
    }
    let fault: FaultKind | null;
    if (firstFaultOf.has(socket)) {
      fault = firstFaultOf.get(socket) ?? null;
      firstFaultOf.delete(socket);
    } else {
      fault = faults.next();
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (this.#config.closeEveryConnection) res.setHeader('Connection', 'close');
      const delayMs = this.#config.responseDelayMs ?? 0;
      if (delayMs > 0) this.runtime.setTimer(() => this.#play(fault, req, res, body), delayMs);
      else this.#play(fault, req, res, body);
    });
  }

  #play(fault: FaultKind | null, req: IncomingMessage, res: ServerResponse, body: string): void {
    const plan = this.#config.faults.plan;
    switch (fault) {
      case 'refuse':
        req.socket.resetAndDestroy();
        return;
      case 'hang':
        return;
      case 'http500':
        this.#send(res, 500, 'text/plain', 'Internal Server Error');
        return;
      case 'http503':
        res.setHeader('Retry-After', String(plan.retryAfterSeconds ?? 5));
        this.#send(res, 503, 'text/plain', 'Service Unavailable');
        return;
      default:
        break;
    }
    const url = new URL(req.url ?? '/', 'http://device');
    const auth = req.headers.authorization;
    const wanted = this.#config.authorization ?? null;
    if (wanted !== null && auth !== wanted) {
      res.setHeader('WWW-Authenticate', 'Basic realm="AxeOS"');
      this.#send(res, 401, 'text/plain', 'Unauthorized');
      return;
    }
    const request = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body,
      ...(auth === undefined ? {} : { authorization: auth }),
    };
    const reply = this.#config.route(request) ?? unknownPathReply(this.#config.unknownPath, request);
    let contentType = 'application/json';
    let answer: string;
    if ('json' in reply) {
      const json = fault === 'wrongTypes' ? scrambleTypes(reply.json) : reply.json;
      answer = JSON.stringify(json);
      if (fault === 'malformed') answer = truncateJson(answer);
      if (fault === 'oversized') answer = inflateJson(answer, plan.oversizedBytes ?? DEFAULT_OVERSIZED_BYTES);
    } else {
      contentType = reply.contentType ?? 'text/plain';
      answer = reply.text;
      if (reply.location) res.setHeader('Location', reply.location);
    }
    if (fault === 'reset' || fault === 'restart') {
      const bytes = Buffer.from(answer);
      res.writeHead(reply.status, { 'Content-Type': contentType, 'Content-Length': bytes.length });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => {
        if (fault === 'restart') {
          this.#config.model.rebootNow();
          this.runtime.dropAll();
        } else {
          // An RST sent in the same tick as the data reaches the client as a plain FIN; a
          // moment later it is a reset every time.
          this.runtime.setTimer(() => req.socket.resetAndDestroy(), RESET_DELAY_MS);
        }
      });
      return;
    }
    if (fault === 'slow') {
      this.#drip(res, reply.status, contentType, answer, plan.slowChunkBytes ?? 16, plan.slowDelayMs ?? 50);
      return;
    }
    this.#send(res, reply.status, contentType, answer);
    if (reply.afterSend) res.once('finish', reply.afterSend);
  }

  #send(res: ServerResponse, status: number, contentType: string, body: string): void {
    const bytes = Buffer.from(body);
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length });
    res.end(bytes);
  }

  #drip(
    res: ServerResponse,
    status: number,
    contentType: string,
    body: string,
    chunk: number,
    delayMs: number,
  ): void {
    const bytes = Buffer.from(body);
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length });
    let offset = 0;
    const step = () => {
      if (res.destroyed || this.runtime.closed) return;
      const end = Math.min(bytes.length, offset + Math.max(1, chunk));
      const piece = bytes.subarray(offset, end);
      offset = end;
      if (offset >= bytes.length) res.end(piece);
      else {
        res.write(piece);
        this.runtime.setTimer(step, delayMs);
      }
    };
    step();
  }
}

/** The public face of an HTTP device, shared by AxeOS and NerdQAxe. */
export async function exposeHttpDevice(
  device: HttpDevice,
  p: ReturnType<typeof prepare>,
  kind: 'axeos' | 'nerdqaxe',
  firmware: string,
): Promise<SimulatedDevice> {
  const port = await device.runtime.listen();
  if (p.faults.plan.offline) device.runtime.setOffline(true);
  const close = () => device.runtime.close();
  return {
    id: p.id,
    kind,
    host: p.host,
    port,
    mac: p.model.mac,
    hostname: p.model.hostname,
    firmware,
    model: p.model,
    get requestCount() {
      return device.requestCount;
    },
    setFaults(plan: FaultPlan | null) {
      p.faults.set(plan);
      p.model.setMiningFault(plan?.mining ?? null);
      device.runtime.setOffline(plan?.offline === true);
    },
    restart: () => rebootNow(p.model, device.runtime),
    close,
    [Symbol.asyncDispose]: close,
  };
}
