/**
 * One connection to the broker, kept up: connects with a last will, reconnects with backoff
 * through the resilience library's `retry`, and tells its owner when it is up. While it is down,
 * `publish` refuses at once (nothing is queued), so the bridge never holds more than the current
 * picture and never makes anyone wait.
 */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { MonitorTimers } from '../monitor/timers.js';
import { retry } from '../resilience/index.js';
import { brokerName, describeConnectError } from './errors.js';

export type ConnectionState = 'connecting' | 'connected' | 'closed';

export interface ConnectionStatus {
  readonly state: ConnectionState;
  /** The broker, without a password. */
  readonly broker: string;
  readonly connectedAt: number | null;
  /** The last failure to connect or the reason the connection dropped; null once none happened. */
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  /** Connection attempts since start. */
  readonly attempts: number;
  /** Publishes skipped because the broker was away or the socket was backed up. */
  readonly skipped: number;
}

export type ConnectionEvent =
  | { readonly type: 'connected'; readonly broker: string }
  | { readonly type: 'disconnected'; readonly broker: string; readonly error: string | null }
  | { readonly type: 'retry'; readonly error: string; readonly delayMs: number };

export interface ConnectionOptions {
  readonly url: string;
  readonly username: string | null;
  readonly password: string | null;
  /** Published `offline` by the broker when we vanish, and `online`/`offline` by us. */
  readonly statusTopic: string;
  readonly timers: MonitorTimers;
  readonly random: () => number;
  readonly reconnectBaseDelayMs: number;
  readonly maxReconnectDelayMs: number;
  readonly connectTimeoutMs: number;
  readonly maxBufferedBytes: number;
  /** Called each time the connection is (re)established: publish the whole picture here. */
  readonly onConnected: () => void;
  /** A message on a subscribed topic; `retained` when the broker replays a stored one. */
  readonly onMessage: (topic: string, payload: Buffer, retained: boolean) => void;
  readonly onEvent?: (event: ConnectionEvent) => void;
}

export interface PublishOptions {
  readonly retain?: boolean;
  readonly qos?: 0 | 1;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class Connection {
  readonly #options: ConnectionOptions;
  readonly #broker: string;
  readonly #abort = new AbortController();
  #client: MqttClient | null = null;
  #running: Promise<void> | null = null;
  #state: ConnectionState = 'connecting';
  #connectedAt: number | null = null;
  #lastError: string | null = null;
  #lastErrorAt: number | null = null;
  #attempts = 0;
  #skipped = 0;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#broker = brokerName(options.url);
  }

  get connected(): boolean {
    return this.#client?.connected === true;
  }

  status(): ConnectionStatus {
    return {
      state: this.#state,
      broker: this.#broker,
      connectedAt: this.#connectedAt,
      lastError: this.#lastError,
      lastErrorAt: this.#lastErrorAt,
      attempts: this.#attempts,
      skipped: this.#skipped,
    };
  }

  /** Starts connecting in the background; returns at once. */
  start(): void {
    this.#running ??= this.#run(this.#abort.signal);
  }

  /**
   * Sends one message if the connection is up and its socket keeps pace; otherwise skips it and
   * returns false. Never waits.
   */
  publish(topic: string, payload: string, options: PublishOptions = {}): boolean {
    const client = this.#client;
    if (
      client === null ||
      !client.connected ||
      client.stream.writableLength > this.#options.maxBufferedBytes
    ) {
      this.#skipped += 1;
      return false;
    }
    client.publish(topic, payload, { retain: options.retain ?? false, qos: options.qos ?? 0 }, (error) => {
      if (error) this.#fail(error);
    });
    return true;
  }

  /**
   * Resolves once the socket has room again (true), or the connection is gone (false). For
   * the full picture sent on connect, which must not be skipped but must not pile up either.
   */
  async room(): Promise<boolean> {
    const client = this.#client;
    if (client === null || !client.connected) return false;
    if (client.stream.writableLength <= this.#options.maxBufferedBytes) return true;
    await new Promise<void>((resolve) => {
      const done = () => {
        client.stream.off('drain', done);
        client.off('close', done);
        resolve();
      };
      client.stream.on('drain', done);
      client.on('close', done);
    });
    return this.#client === client && client.connected;
  }

  subscribe(filter: string): void {
    this.#client?.subscribe(filter, { qos: 1 }, (error) => {
      if (error) this.#fail(error);
    });
  }

  /** Says `offline` (a clean disconnect sends no will), disconnects and stops reconnecting. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#abort.abort(new Error('the MQTT bridge is closing'));
    const client = this.#client;
    this.#client = null;
    if (client?.connected) {
      await client
        .publishAsync(this.#options.statusTopic, 'offline', { retain: true, qos: 1 })
        .catch(() => undefined);
      await client.endAsync().catch(() => undefined);
    } else {
      client?.end(true);
    }
    await this.#running?.catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #fail(error: unknown): void {
    this.#lastError = messageOf(error);
    this.#lastErrorAt = this.#options.timers.now();
  }

  async #run(signal: AbortSignal): Promise<void> {
    const o = this.#options;
    while (!signal.aborted) {
      let link: { client: MqttClient; lost: Promise<string | null> };
      try {
        link = await retry(() => this.#connectOnce(signal), {
          maxAttempts: Number.MAX_SAFE_INTEGER,
          baseDelayMs: o.reconnectBaseDelayMs,
          maxDelayMs: o.maxReconnectDelayMs,
          jitter: 'full',
          isRetryable: () => true,
          signal,
          clock: o.timers,
          random: o.random,
          onRetry: (event) =>
            o.onEvent?.({ type: 'retry', error: messageOf(event.error), delayMs: event.delayMs }),
        });
      } catch {
        return; // only an abort ends the retry: we are closing
      }
      if (signal.aborted) {
        link.client.end(true);
        return;
      }
      this.#client = link.client;
      this.#state = 'connected';
      this.#connectedAt = o.timers.now();
      link.client.on('message', (topic, payload, packet) => o.onMessage(topic, payload, packet.retain));
      o.onEvent?.({ type: 'connected', broker: this.#broker });
      o.onConnected();
      const why = await link.lost;
      if (signal.aborted) return;
      this.#client = null;
      this.#state = 'connecting';
      this.#connectedAt = null;
      if (why !== null) this.#fail(why);
      link.client.end(true);
      o.onEvent?.({ type: 'disconnected', broker: this.#broker, error: why });
    }
  }

  /** One attempt: resolves once the broker accepts us, with a promise of the connection's end. */
  #connectOnce(signal: AbortSignal): Promise<{ client: MqttClient; lost: Promise<string | null> }> {
    const o = this.#options;
    this.#attempts += 1;
    const options: IClientOptions = {
      reconnectPeriod: 0, // reconnecting is ours, with the resilience library's backoff
      connectTimeout: o.connectTimeoutMs,
      clean: true,
      clientId: `solowatch_${Math.floor(o.random() * 2 ** 48).toString(16)}`,
      will: { topic: o.statusTopic, payload: Buffer.from('offline'), retain: true, qos: 1 },
      ...(o.username === null ? {} : { username: o.username }),
      ...(o.password === null ? {} : { password: o.password }),
    };
    return new Promise((resolve, reject) => {
      const client = connect(o.url, options);
      let lastError: string | null = null;
      const lost = new Promise<string | null>((resolveLost) => {
        client.on('error', (error) => {
          lastError = messageOf(error);
        });
        client.once('close', () => resolveLost(lastError ?? 'the broker closed the connection'));
      });
      const onAbort = () => finish(signal.reason);
      const finish = (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        client.off('connect', onConnect);
        client.off('error', onError);
        client.off('close', onClose);
        if (error === null) {
          resolve({ client, lost });
          return;
        }
        client.end(true);
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const described = describeConnectError(error, o.url, o.password);
        this.#fail(described);
        reject(described);
      };
      const onConnect = () => finish(null);
      const onError = (error: unknown) => finish(error);
      const onClose = () =>
        finish(new Error(lastError ?? 'the connection closed before the broker answered'));
      client.once('connect', onConnect);
      client.once('error', onError);
      client.once('close', onClose);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
