/**
 * Sends each notification to every channel, fire-and-forget from the poll's point of view: the
 * alert is already recorded, a dead channel costs a counter and never a poll. Each channel retries
 * through `retryHttpRequest` behind its own breaker `notifier:<name>`, so one dead channel does
 * not trip the others. In-flight sends are bounded; beyond that they are dropped and counted.
 */
import { setMaxListeners } from 'node:events';
import { type RetryConfig, type RetryManager, retryHttpRequest } from '../../resilience/index.js';
import type { MonitorClock } from '../timers.js';
import type { HttpSend } from './httpSend.js';
import type { Notification, Notifier } from './Notifier.js';
import { accepts, type QuietHours, type Route } from './routing.js';

export interface NotificationDispatcherOptions {
  readonly notifiers: readonly Notifier[];
  readonly send: HttpSend;
  readonly manager: RetryManager;
  readonly clock?: MonitorClock;
  readonly random?: () => number;
  /** Retry and breaker settings for every channel. @default 3 attempts, 1 s base, 30 s cap */
  readonly retry?: Partial<RetryConfig>;
  /** Per request. @default 10000 */
  readonly timeoutMs?: number;
  /** Sends in flight across channels before new ones are dropped. @default 100 */
  readonly maxInFlight?: number;
  /** Per channel name, which alert kinds and severities it takes. @default everything */
  readonly routes?: Readonly<Record<string, Route>>;
  /** Hours during which only alerts at or above a severity are sent. @default none */
  readonly quietHours?: QuietHours | null;
}

export interface ChannelStats {
  readonly sent: number;
  readonly failed: number;
  readonly dropped: number;
  /** Not sent because of the channel's routing or quiet hours. */
  readonly skipped: number;
  readonly lastError: string | null;
  readonly lastSentAt: number | null;
}

const EVERYTHING: Route = Object.freeze({ alerts: null, minSeverity: 'info' });

type MutableStats = { -readonly [K in keyof ChannelStats]: ChannelStats[K] };

export class NotificationDispatcher {
  readonly #notifiers: readonly Notifier[];
  readonly #send: HttpSend;
  readonly #options: NotificationDispatcherOptions;
  readonly #stats = new Map<string, MutableStats>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  readonly #timeoutMs: number;
  readonly #maxInFlight: number;
  readonly #senders = new Map<string, (notifier: Notifier, notification: Notification) => Promise<void>>();

  constructor(options: NotificationDispatcherOptions) {
    // Every send in flight listens on it (linkSignals, retry waits): many at once is normal.
    setMaxListeners(0, this.#abort.signal);
    this.#notifiers = options.notifiers;
    this.#send = options.send;
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxInFlight = options.maxInFlight ?? 100;
    for (const notifier of options.notifiers) {
      this.#stats.set(notifier.name, {
        sent: 0,
        failed: 0,
        dropped: 0,
        skipped: 0,
        lastError: null,
        lastSentAt: null,
      });
      this.#senders.set(notifier.name, this.#makeSender(notifier.name));
    }
  }

  get channels(): readonly string[] {
    return this.#notifiers.map((notifier) => notifier.name);
  }

  /** Starts sending to every channel and returns at once. */
  dispatch(notification: Notification): void {
    if (this.#abort.signal.aborted) return;
    const now = this.#options.clock?.now() ?? Date.now();
    for (const notifier of this.#notifiers) {
      const stats = this.#stats.get(notifier.name) as MutableStats;
      const route = this.#options.routes?.[notifier.name];
      if (route !== undefined || this.#options.quietHours) {
        if (!accepts(route ?? EVERYTHING, this.#options.quietHours ?? null, notification, now)) {
          stats.skipped += 1;
          continue;
        }
      }
      if (this.#inFlight.size >= this.#maxInFlight) {
        stats.dropped += 1;
        continue;
      }
      const sender = this.#senders.get(notifier.name) as (n: Notifier, x: Notification) => Promise<void>;
      const task = sender(notifier, notification)
        .then(
          () => {
            stats.sent += 1;
            stats.lastSentAt = this.#options.clock?.now() ?? Date.now();
          },
          (error: unknown) => {
            stats.failed += 1;
            stats.lastError = error instanceof Error ? error.message : String(error);
          },
        )
        .finally(() => this.#inFlight.delete(task));
      this.#inFlight.add(task);
    }
  }

  stats(): Record<string, ChannelStats> {
    return Object.fromEntries([...this.#stats].map(([name, stats]) => [name, { ...stats }]));
  }

  /** Waits for the sends in flight (their retries included). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Aborts retries in flight and waits for them to settle; later dispatches are ignored. */
  async close(): Promise<void> {
    this.#abort.abort(new Error('notifications closed'));
    await this.drain();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #makeSender(name: string): (notifier: Notifier, notification: Notification) => Promise<void> {
    const { manager, clock, random, retry } = this.#options;
    const wrapper = retryHttpRequest({
      ...(retry ?? {}),
      manager,
      ...(clock === undefined ? {} : { clock }),
      ...(random === undefined ? {} : { random }),
      signal: this.#abort.signal,
      circuitBreakerName: 'notifier',
      key: () => name,
    });
    const timeoutMs = this.#timeoutMs;
    const send = this.#send;
    const signal = this.#abort.signal;
    return wrapper(async (notifier: Notifier, notification: Notification): Promise<void> => {
      await send(notifier.buildRequest(notification), { signal, timeoutMs });
    });
  }
}
