/**
 * The collaborators a MinerManager builds from its options: timers, notification dispatch,
 * network difficulty and the poller's context. Kept apart so the manager reads as the orchestrator.
 */
import type { RetryManager } from '../resilience/index.js';
import type { DriverRegistryLike } from './deps.js';
import type { MinerManager } from './MinerManager.js';
import type { PollerContext } from './MinerPoller.js';
import { fetchSend, type HttpSend, httpClientOf, httpClientSend } from './notifiers/httpSend.js';
import { NotificationDispatcher } from './notifiers/NotificationDispatcher.js';
import type { Notifier } from './notifiers/Notifier.js';
import { createNotifier, type NotifierConfig } from './notifiers/registry.js';
import { fetchJson, NetworkDifficulty } from './odds/NetworkDifficulty.js';
import type { MinerManagerOptions } from './options.js';
import { type MonitorTimers, systemTimers, timersFromClock } from './timers.js';

function isTimers(clock: MinerManagerOptions['clock']): clock is MonitorTimers {
  return clock !== undefined && typeof (clock as MonitorTimers).setTimer === 'function';
}

export function resolveTimers(clock: MinerManagerOptions['clock']): MonitorTimers {
  return clock === undefined ? systemTimers : isTimers(clock) ? clock : timersFromClock(clock);
}

/** Notifications go through the drivers' shared HttpClient when there is one, else fetch. */
function defaultSend(drivers: DriverRegistryLike): HttpSend {
  const client = httpClientOf(drivers);
  return client === undefined ? fetchSend : httpClientSend(client);
}

export function createNotifications(
  options: MinerManagerOptions,
  retryManager: RetryManager,
  timers: MonitorTimers,
  random: () => number,
): NotificationDispatcher {
  const notifiers = (options.notifiers ?? []).map(
    (item): Notifier =>
      typeof (item as Notifier).buildRequest === 'function'
        ? (item as Notifier)
        : createNotifier(item as NotifierConfig),
  );
  return new NotificationDispatcher({
    notifiers,
    send: options.notificationSend ?? defaultSend(options.drivers),
    manager: retryManager,
    clock: timers,
    random,
  });
}

export function createDifficulty(
  options: MinerManagerOptions,
  retryManager: RetryManager,
  timers: MonitorTimers,
): NetworkDifficulty {
  const api = options.difficultyApi;
  return new NetworkDifficulty({
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
}

/** What a poll needs from the manager; read once, after the manager has built its collaborators. */
export function pollerContext(manager: MinerManager): PollerContext {
  const { options } = manager;
  return {
    clock: manager.timers,
    storage: manager.storage,
    drivers: manager.drivers,
    retryManager: manager.retryManager,
    breakerConfig: manager.breakerConfig,
    thresholds: manager.thresholds,
    hub: manager.hub,
    alerts: manager.alerts,
    difficulty: manager.difficulty,
    defaultIntervalMs: manager.defaultIntervalMs,
    pollTimeoutMs: options.pollTimeoutMs ?? 5000,
    pollMaxAttempts: options.pollMaxAttempts ?? 1,
    restartPollMs: options.restart?.confirmPollMs ?? 2000,
    backfillAfterIntervals: options.backfillAfterIntervals ?? 3,
    track: (work) => manager.track(work),
    reindex: (entry, previous) => manager.index(entry, previous),
    isCurrent: (entry) => manager.entries.get(entry.record.id) === entry,
    recordEvent: (minerId, type, severity, message, data) =>
      manager.recordEvent(minerId, type, severity, message, data),
  };
}
