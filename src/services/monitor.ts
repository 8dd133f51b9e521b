/**
 * The monitor from the config: its sections checked (a bad key named with the file), the
 * monitor built by createMonitor, and its events turned into log lines.
 */
import { ConfigError, type SolowatchConfig } from '../config/Config.js';
import type { LogFn } from '../log/logger.js';
import type { createDriverRegistry } from '../miners/DriverRegistry.js';
import { createMonitor } from '../monitor/createMonitor.js';
import type { MinerManager } from '../monitor/MinerManager.js';
import { type MonitorSettings, resolveMonitorSettings } from '../monitor/monitorSettings.js';
import { createChannels, type NotifierConfig } from '../monitor/notifiers/registry.js';
import { type QuietHours, type QuietHoursConfig, resolveQuietHours } from '../monitor/notifiers/routing.js';
import {
  type PowSettings,
  resolvePowSettings,
  resolveWatchdogSettings,
  type WatchdogSettings,
} from '../monitor/state/settings.js';
import { resolveThresholds, type StatusThresholds } from '../monitor/thresholds.js';
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
 * The monitor, built by createMonitor from the config (checked first by checkMonitorConfig). With
 * `owns`, it polls only the miners this instance holds a lease on (src/monitor/cluster/).
 */
export function buildMonitor(
  config: SolowatchConfig,
  storage: Storage,
  drivers: ReturnType<typeof createDriverRegistry>,
  retryManager: RetryManager,
  owns: ((minerId: string) => boolean) | null,
): MinerManager {
  return createMonitor({
    storage,
    drivers,
    retryManager,
    notifiers: config.notifiers as unknown as NotifierConfig[],
    thresholds: config.thresholds as Partial<StatusThresholds>,
    powHealth: config.powHealth as Partial<PowSettings>,
    watchdog: config.watchdog as Partial<WatchdogSettings>,
    ...(config.pollIntervalMs === null ? {} : { defaultIntervalMs: config.pollIntervalMs }),
    ...(config.quietHours === null ? {} : { quietHours: config.quietHours as unknown as QuietHoursConfig }),
    ...(config.networkDifficulty === null ? {} : { networkDifficulty: config.networkDifficulty }),
    ...(config.maxConcurrentPolls === null ? {} : { maxConcurrentPolls: config.maxConcurrentPolls }),
    ...(owns === null ? {} : { owns }),
  });
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
