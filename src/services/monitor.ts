/**
 * The monitor and what it is made of: the config's monitor sections checked, the alert engine,
 * notification dispatcher, difficulty source and poll scheduler built and passed in (STYLE 20),
 * and its events turned into log lines.
 */
import { ConfigError, type SolowatchConfig } from '../config/Config.js';
import type { LogFn } from '../log/logger.js';
import type { createDriverRegistry } from '../miners/DriverRegistry.js';
import { AlertEngine } from '../monitor/AlertEngine.js';
import { alertFanOut } from '../monitor/alertFanOut.js';
import { Background } from '../monitor/Background.js';
import { defaultSend } from '../monitor/createMonitor.js';
import { EventHub } from '../monitor/EventHub.js';
import { Fleet } from '../monitor/Fleet.js';
import { MinerManager } from '../monitor/MinerManager.js';
import { type MonitorSettings, resolveMonitorSettings } from '../monitor/monitorSettings.js';
import { NotificationDispatcher } from '../monitor/notifiers/NotificationDispatcher.js';
import { createChannels, type NotifierConfig } from '../monitor/notifiers/registry.js';
import { type QuietHours, type QuietHoursConfig, resolveQuietHours } from '../monitor/notifiers/routing.js';
import { NetworkDifficulty } from '../monitor/odds/NetworkDifficulty.js';
import { DEFAULT_MAX_CONCURRENT_POLLS } from '../monitor/options.js';
import { type PollOutcome, PollScheduler } from '../monitor/PollScheduler.js';
import { PollLatenessListeners } from '../monitor/pollLateness.js';
import {
  type PowSettings,
  resolvePowSettings,
  resolveWatchdogSettings,
  type WatchdogSettings,
} from '../monitor/state/settings.js';
import { resolveThresholds, type StatusThresholds } from '../monitor/thresholds.js';
import { systemTimers } from '../monitor/timers.js';
import type { Monitor, MonitorEvent } from '../monitor/types.js';
import type { RetryManager } from '../resilience/index.js';
import type { Storage } from '../storage/Storage.js';

/** The monitor's parts of the config, resolved; checking them first names a bad key and the file. */
export interface MonitorConfig {
  readonly notifiers: NotifierConfig[];
  readonly settings: MonitorSettings;
  readonly quietHours: QuietHours | null;
}

/** Checks the parts of the config that the monitor understands, naming the key and the file. */
export function checkMonitorConfig(config: SolowatchConfig): MonitorConfig {
  const source = config.configFile ?? 'configuration';
  const notifiers = config.notifiers as unknown as NotifierConfig[];
  try {
    createChannels(notifiers);
  } catch (error) {
    throw new ConfigError(source, 'notifiers', `are invalid: ${(error as Error).message}`);
  }
  const named = <T>(key: string, build: () => T): T => {
    try {
      return build();
    } catch (error) {
      throw new ConfigError(source, key, `is invalid: ${(error as Error).message}`);
    }
  };
  named('thresholds', () => resolveThresholds(config.thresholds as Partial<StatusThresholds>));
  named('powHealth', () => resolvePowSettings(config.powHealth as Partial<PowSettings>));
  named('watchdog', () => resolveWatchdogSettings(config.watchdog as Partial<WatchdogSettings>));
  const settings = resolveMonitorSettings({
    thresholds: config.thresholds as Partial<StatusThresholds>,
    powHealth: config.powHealth as Partial<PowSettings>,
    watchdog: config.watchdog as Partial<WatchdogSettings>,
    ...(config.pollIntervalMs === null ? {} : { defaultIntervalMs: config.pollIntervalMs }),
  });
  const quietHours =
    config.quietHours === null
      ? null
      : named('quietHours', () => resolveQuietHours(config.quietHours as unknown as QuietHoursConfig));
  return { notifiers, settings, quietHours };
}

/**
 * The monitor and what it is given: the alert engine, the notification dispatcher, the
 * difficulty source and the poll scheduler are built here and passed in (STYLE 20). With
 * `owns`, it polls only the miners this instance holds a lease on (src/monitor/cluster/).
 */
export function buildMonitor(
  config: SolowatchConfig,
  storage: Storage,
  drivers: ReturnType<typeof createDriverRegistry>,
  retryManager: RetryManager,
  { notifiers, settings, quietHours }: MonitorConfig,
  owns: ((minerId: string) => boolean) | null,
): MinerManager {
  const timers = systemTimers;
  const random = Math.random;
  const hub = new EventHub();
  const fleet = new Fleet();
  const background = new Background();
  const lateness = new PollLatenessListeners();
  const channels = createChannels(notifiers);
  const notifications = new NotificationDispatcher({
    notifiers: channels.notifiers,
    routes: channels.routes,
    quietHours,
    send: defaultSend(drivers),
    manager: retryManager,
    clock: timers,
    random,
  });
  const alerts = new AlertEngine({ storage, onAlert: alertFanOut(hub, fleet, notifications) });
  const difficulty = new NetworkDifficulty({
    clock: timers,
    ...(config.networkDifficulty === null ? {} : { configured: config.networkDifficulty }),
  });
  const poll = (id: string, signal: AbortSignal): Promise<PollOutcome> | undefined =>
    owns === null || owns(id) ? monitor.poll(id, signal) : undefined;
  const scheduler: PollScheduler = new PollScheduler(poll, {
    timers,
    random,
    maxConcurrent: config.maxConcurrentPolls ?? DEFAULT_MAX_CONCURRENT_POLLS,
    jitterRatio: 0.1,
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

/** Turns monitor events into log lines an operator wants to see; answers how to stop. */
export function logEvents(monitor: Monitor, log: LogFn): () => void {
  const nameOf = (id: string) => {
    const name = monitor.getMiner(id)?.name;
    return name === undefined ? id : `${name} (${id})`;
  };
  return monitor.subscribe((event: MonitorEvent) => {
    switch (event.type) {
      case 'status':
        log(
          'info',
          `miner ${nameOf(event.minerId)}: ${event.from} -> ${event.to}${event.reason ? ` (${event.reason})` : ''}`,
        );
        break;
      case 'breaker':
        log(event.to === 'open' ? 'warn' : 'info', `breaker ${event.name}: ${event.from} -> ${event.to}`);
        break;
      case 'alert':
        log(
          event.alert.severity === 'critical' ? 'warn' : 'info',
          `alert ${event.action}: ${event.alert.message}`,
        );
        break;
      case 'restart':
        log(
          'info',
          `restart of ${nameOf(event.restart.minerId)}: ${event.restart.state} (${event.restart.detail})`,
        );
        break;
      case 'miner':
        log('debug', `miner ${nameOf(event.minerId)} ${event.action}`);
        break;
      default:
        break;
    }
  });
}
