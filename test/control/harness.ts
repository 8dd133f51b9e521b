/**
 * A real server over a real monitor and drivers, with control, listening on 127.0.0.1:0, and
 * simulated devices over real HTTP/TCP: what the control tests drive end to end.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import type { MinerKind } from '../../src/miners/MinerSample.js';
import { createControl } from '../../src/monitor/control/createControl.js';
import type { MinerManagerOptions } from '../../src/monitor/options.js';
import { buildApp } from '../../src/server/buildApp.js';
import type { SimulatedDevice } from '../../src/simulator/index.js';
import { createRig, type Rig } from '../monitor/helpers.js';
import { TOKEN } from '../server/harness.js';

/** What `fetch` parses: loosely typed, as `inject().json()` is in the other server tests. */
type JsonBody = Awaited<ReturnType<Response['json']>>;

export interface ControlRig {
  readonly rig: Rig;
  readonly app: FastifyInstance;
  readonly url: string;
  /** Adds the device as a miner (no verification) and answers its id. */
  add(device: SimulatedDevice, kind: MinerKind): Promise<string>;
  /** A request to the API with the token and a client name. */
  call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: JsonBody; headers: Headers }>;
  close(): Promise<void>;
}

export async function controlRig(options: Partial<MinerManagerOptions> = {}): Promise<ControlRig> {
  // Polls rarely, so the device's request log shows the control traffic alone.
  const rig = await createRig({ defaultIntervalMs: 3_600_000, pollTimeoutMs: 2000, ...options });
  await rig.manager.start();
  const app = await buildApp({
    monitor: rig.manager,
    breakers: rig.retryManager,
    token: TOKEN,
    listenHost: '127.0.0.1',
    version: 'test',
    webRoot: null,
    control: createControl(rig.manager, { settings: { timeoutMs: 2000 } }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    rig,
    app,
    url,
    async add(device, kind) {
      const miner = await rig.manager.addMiner({ host: '127.0.0.1', port: device.port, kind, verify: false });
      return miner.id;
    },
    async call(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'x-solowatch-client': 'tests',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        json: text === '' ? null : JSON.parse(text),
        headers: response.headers,
      };
    },
    async close() {
      await app.close();
      await rig.close();
    },
  };
}

/** A rig shared by the tests of one file, each test with a fresh one; see `controlRigPerTest`. */
export interface ControlRigPerTest extends Pick<ControlRig, 'rig' | 'url' | 'call'> {
  /**
   * Makes this test's rig on first use, starts a simulated device and adds it as a miner of
   * `kind`; the rig and every device it started are closed after the test.
   */
  watch<D extends SimulatedDevice>(
    start: () => Promise<D>,
    kind: MinerKind,
  ): Promise<{ id: string; device: D }>;
}

/** Call at the top level of a test file: it registers the afterEach that closes what a test made. */
export function controlRigPerTest(): ControlRigPerTest {
  let current: ControlRig | undefined;
  const devices: SimulatedDevice[] = [];
  afterEach(async () => {
    await current?.close();
    current = undefined;
    await Promise.all(devices.splice(0).map((d) => d.close()));
  });
  const started = (): ControlRig => {
    if (current === undefined) throw new Error('no control rig yet: watch() a device first');
    return current;
  };
  return {
    get rig() {
      return started().rig;
    },
    get url() {
      return started().url;
    },
    call: (method, path, body) => started().call(method, path, body),
    async watch(start, kind) {
      current ??= await controlRig();
      const device = await start();
      devices.push(device);
      return { id: await current.add(device, kind), device };
    },
  };
}
