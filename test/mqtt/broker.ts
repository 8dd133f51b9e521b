/**
 * The broker MQTT tests run against: the local Mosquitto at 127.0.0.1:1883 when it answers (as
 * in CI), else an in-process aedes on a free port. SOLOWATCH_TEST_MQTT=mosquitto makes a missing
 * Mosquitto a failure instead; SOLOWATCH_TEST_MQTT=aedes uses aedes even when Mosquitto runs. Every test uses its own topics, so parallel runs do not collide.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, Socket } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import { connectAsync, type MqttClient } from 'mqtt';
import { Topics } from '../../src/mqtt/topics.js';

export interface TestBroker {
  readonly kind: 'mosquitto' | 'aedes';
  readonly url: string;
  close(): Promise<void>;
}

const MOSQUITTO = { host: '127.0.0.1', port: 1883 };

function answers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

/** An aedes broker on a free 127.0.0.1 port. */
export async function startAedes(options: AedesOptions = {}): Promise<TestBroker & { server: Server }> {
  const aedes = await Aedes.createBroker(options);
  const server = createServer(aedes.handle);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    kind: 'aedes',
    url: `mqtt://127.0.0.1:${port}`,
    server,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Mosquitto if it answers (or must), else aedes; says which on the test output. */
export async function startTestBroker(): Promise<TestBroker> {
  const wanted = process.env.SOLOWATCH_TEST_MQTT;
  const required = wanted === 'mosquitto';
  if (wanted !== 'aedes' && (await answers(MOSQUITTO.host, MOSQUITTO.port))) {
    console.info('MQTT tests run against Mosquitto at 127.0.0.1:1883');
    return { kind: 'mosquitto', url: `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`, close: async () => {} };
  }
  if (required) {
    throw new Error(
      'SOLOWATCH_TEST_MQTT=mosquitto but nothing answers at 127.0.0.1:1883 (start it: mosquitto -d)',
    );
  }
  console.info(
    `MQTT tests run against an in-process aedes broker (${wanted === 'aedes' ? 'SOLOWATCH_TEST_MQTT=aedes' : 'no Mosquitto at 127.0.0.1:1883'})`,
  );
  return startAedes();
}

/** Topic roots of one test: nothing another test (or run) publishes lands there. */
export function uniqueTopics(): { baseTopic: string; discoveryPrefix: string } {
  const tag = randomBytes(4).toString('hex');
  return { baseTopic: `swtest_${tag}/solowatch`, discoveryPrefix: `swtest_${tag}/homeassistant` };
}

/** Fresh topic names, their Topics, and a listener on all of them: what each bridge test starts with. */
export async function listenOnNewTopics(url: string): Promise<{
  names: { baseTopic: string; discoveryPrefix: string };
  topics: Topics;
  listener: Listener;
}> {
  const names = uniqueTopics();
  const topics = new Topics(names.baseTopic, names.discoveryPrefix);
  const listener = await Listener.start(url, [`${names.baseTopic}/#`, `${names.discoveryPrefix}/#`]);
  return { names, topics, listener };
}

/** A client that listens as Home Assistant would, keeping the last message (retained ones too) per topic. */
export class Listener {
  readonly client: MqttClient;
  readonly messages = new Map<string, string>();
  readonly #waiters = new Set<() => void>();

  private constructor(client: MqttClient) {
    this.client = client;
    client.on('message', (topic, payload) => {
      if (payload.length === 0) this.messages.delete(topic);
      else this.messages.set(topic, payload.toString('utf8'));
      for (const wake of this.#waiters) wake();
    });
  }

  static async start(url: string, filters: readonly string[]): Promise<Listener> {
    const client = await connectAsync(url, { reconnectPeriod: 0 });
    const listener = new Listener(client);
    await client.subscribeAsync([...filters], { qos: 1 });
    return listener;
  }

  json(topic: string): Record<string, unknown> | undefined {
    const text = this.messages.get(topic);
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  }

  /** Resolves once `test` holds on the messages so far, or rejects after `timeoutMs`. */
  until(
    test: (messages: Map<string, string>) => boolean,
    timeoutMs = 5000,
    what = 'the expected messages',
  ): Promise<void> {
    if (test(this.messages)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        if (!test(this.messages)) return;
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(
          new Error(`timed out waiting for ${what}; topics seen: ${[...this.messages.keys()].join(', ')}`),
        );
      }, timeoutMs);
      this.#waiters.add(wake);
    });
  }

  /** Leaves no retained test topics behind on a shared broker (Mosquitto keeps them on disk). */
  async close(): Promise<void> {
    const retained = [...this.messages.keys()];
    await Promise.all(retained.map((topic) => this.client.publishAsync(topic, '', { retain: true, qos: 1 })));
    await this.client.endAsync();
  }
}

/** A TCP relay in front of a broker that a test can cut and restore: the broker "goes away". */
export class CuttableLink {
  readonly #server: Server;
  readonly #target: URL;
  readonly #sockets = new Set<Socket>();
  #down = false;

  private constructor(server: Server, target: URL) {
    this.#server = server;
    this.#target = target;
  }

  static async start(brokerUrl: string): Promise<CuttableLink> {
    const target = new URL(brokerUrl);
    const server = createServer();
    const link = new CuttableLink(server, target);
    server.on('connection', (socket) => link.#relay(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return link;
  }

  get url(): string {
    const address = this.#server.address();
    return `mqtt://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  }

  #relay(socket: Socket): void {
    if (this.#down) {
      socket.destroy();
      return;
    }
    const upstream = new Socket();
    upstream.connect(Number(this.#target.port), this.#target.hostname);
    for (const s of [socket, upstream]) {
      this.#sockets.add(s);
      s.once('close', () => this.#sockets.delete(s));
      s.on('error', () => undefined);
    }
    socket.pipe(upstream).pipe(socket);
    socket.once('close', () => upstream.destroy());
    upstream.once('close', () => socket.destroy());
  }

  /** Drops every connection and refuses new ones. */
  cut(): void {
    this.#down = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  restore(): void {
    this.#down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
