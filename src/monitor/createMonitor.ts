/**
 * Builds a MinerManager and everything it is given from one options object: for tests, for
 * library users who want a monitor in one call, and for the app (src/services/monitor.ts hands
 * it the options its configuration gives).
 */
import { retryManager as globalRetryManager } from '../resilience/index.js';
import { AlertEngine } from './AlertEngine.js';
import { alertFanOut } from './alertFanOut.js';
import { Background } from './Background.js';
import { EventHub } from './EventHub.js';
import { Fleet } from './Fleet.js';
import { MinerManager } from './MinerManager.js';
import { resolveMonitorSettings } from './monitorSettings.js';
import { fetchSend, type HttpSend, httpClientOf, httpClientSend } from './notifiers/httpSend.js';
import { NotificationDispatcher } from './notifiers/NotificationDispatcher.js';
import type { Notifier } from './notifiers/Notifier.js';
import { createChannels, type NotifierConfig } from './notifiers/registry.js';
import { type Route, resolveQuietHours } from './notifiers/routing.js';
import { fetchJson, NetworkDifficulty } from './odds/NetworkDifficulty.js';
import { DEFAULT_MAX_CONCURRENT_POLLS, type MinerManagerOptions } from './options.js';
import { type PollOutcome, PollScheduler } from './PollScheduler.js';
import { PollLatenessListeners } from './pollLateness.js';
import { type MonitorTimers, systemTimers, timersFromClock } from './timers.js';

function isTimers(clock: MinerManagerOptions['clock']): clock is MonitorTimers {
  return clock !== undefined && typeof (clock as MonitorTimers).setTimer === 'function';
}

export function resolveTimers(clock: MinerManagerOptions['clock']): MonitorTimers {
  return clock === undefined ? systemTimers : isTimers(clock) ? clock : timersFromClock(clock);
}

/** Notifications go through the drivers' shared HttpClient when there is one, else fetch. */
export function defaultSend(drivers: MinerManagerOptions['drivers']): HttpSend {
  const client = httpClientOf(drivers);
  return client === undefined ? fetchSend : httpClientSend(client);
}

function isNotifier(item: NotifierConfig | Notifier): item is Notifier {
  return typeof (item as Notifier).buildRequest === 'function';
}

export function createMonitor(options: MinerManagerOptions): MinerManager {
  if (options?.storage === undefined || options.drivers === undefined) {
    throw new TypeError('createMonitor needs `storage` and `drivers`');
  }
  const { storage, drivers } = options;
  const settings = resolveMonitorSettings(options);
  const retryManager = options.retryManager ?? globalRetryManager;
  const timers = resolveTimers(options.clock);
  const random = options.random ?? Math.random;
  const hub = new EventHub();
  const fleet = new Fleet();
  const background = new Background();
  const lateness = new PollLatenessListeners();
  const given = options.notifiers ?? [];
  const channels = createChannels(given.filter((item) => !isNotifier(item)) as NotifierConfig[]);
  const ready = given.filter(isNotifier);
  const notifications = new NotificationDispatcher({
    notifiers: [...channels.notifiers, ...ready],
    routes: channels.routes as Record<string, Route>,
    quietHours: options.quietHours === undefined ? null : resolveQuietHours(options.quietHours),
    send: options.notificationSend ?? defaultSend(drivers),
    manager: retryManager,
    clock: timers,
    random,
  });
  const alerts = new AlertEngine({
    storage,
    onAlert: alertFanOut(hub, fleet, notifications),
    onError: () => undefined,
    ...(options.alerts ?? {}),
  });
  const api = options.difficultyApi;
  const difficulty = new NetworkDifficulty({
    clock: timers,
    ...(options.networkDifficulty === undefined ? {} : { configured: options.networkDifficulty }),
    ...(api === undefined
      ? {}
      : {
          api: {
            baseUrl: api.baseUrl,
            getJson: api.getJson ?? fetchJson,
            breaker: retryManager.getCircuitBreaker('difficulty_api', {
              failureThreshold: 3,
              recoveryTimeoutMs: 600_000,
            }),
            ...(api.refreshMs === undefined ? {} : { refreshMs: api.refreshMs }),
          },
        }),
  });
  const owns = options.owns;
  const poll = (id: string, signal: AbortSignal): Promise<PollOutcome> | undefined =>
    owns === undefined || owns(id) ? monitor.poll(id, signal) : undefined;
  const scheduler: PollScheduler = new PollScheduler(poll, {
    timers,
    random,
    maxConcurrent: options.maxConcurrentPolls ?? DEFAULT_MAX_CONCURRENT_POLLS,
    jitterRatio: options.jitterRatio ?? 0.1,
    onLateness: (ms, id) => lateness.report(ms, id),
    onError: () => background.fail(),
  });
  const monitor: MinerManager = new MinerManager({
    storage,
    drivers,
    retryManager,
    timers,
    random,
    hub,
    fleet,
    background,
    lateness,
    alerts,
    notifications,
    difficulty,
    scheduler,
    settings,
  });
  return monitor;
}
