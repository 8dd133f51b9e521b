import { once } from 'node:events';
import type { Server, Socket } from 'node:net';

/** Pause between a partial reply and its reset (see the `reset` fault). */
export const RESET_DELAY_MS = 15;

/**
 * The sockets, timers and listening state of one simulated device, so that every kind goes
 * offline, drops its connections and closes the same way and leaves nothing behind.
 */
export class DeviceRuntime {
  readonly #server: Server;
  readonly #host: string;
  #port: number;
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #listening = false;
  #closed = false;
  #pending: Promise<void> = Promise.resolve();

  constructor(server: Server, host: string, port: number) {
    this.#server = server;
    this.#host = host;
    this.#port = port;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      // A client that vanishes mid-reply must not crash the simulator.
      socket.on('error', () => {});
    });
  }

  get host(): string {
    return this.#host;
  }

  get port(): number {
    return this.#port;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async listen(): Promise<number> {
    this.#server.listen({ host: this.#host, port: this.#port });
    await once(this.#server, 'listening');
    const address = this.#server.address();
    if (address && typeof address === 'object') this.#port = address.port;
    this.#listening = true;
    return this.#port;
  }

  /** Stops listening (clients get ECONNREFUSED) or listens again on the same port. */
  setOffline(offline: boolean): void {
    this.#pending = this.#pending.then(async () => {
      if (this.#closed) return;
      if (offline && this.#listening) {
        this.#listening = false;
        const closing = new Promise<void>((resolve) => this.#server.close(() => resolve()));
        this.dropAll();
        await closing;
      } else if (!offline && !this.#listening) {
        await this.listen();
      }
    });
  }

  /** Ends every open connection at once, as a rebooting device does. */
  dropAll(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  /** A timer that close() clears (kept ref'd, so a device left open is noticed, not hidden). */
  setTimer(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  async close(): Promise<void> {
    if (this.#closed) return this.#pending;
    this.#closed = true;
    await this.#pending;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closing = this.#listening
      ? new Promise<void>((resolve) => this.#server.close(() => resolve()))
      : Promise.resolve();
    this.#listening = false;
    this.dropAll();
    await closing;
  }
}
