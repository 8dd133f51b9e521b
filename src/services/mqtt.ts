/** The MQTT and Home Assistant bridge, when the config names a broker, and its log lines. */
import type { SolowatchConfig } from '../config/Config.js';
import type { LogFn } from '../log/logger.js';
import type { MinerControl } from '../monitor/control/MinerControl.js';
import type { MinerManager } from '../monitor/MinerManager.js';
import { systemTimers } from '../monitor/timers.js';
import { ANOTHER_INSTANCE, MqttBridge, type MqttBridgeEvent, resolveMqttSettings } from '../mqtt/index.js';

/** Turns what the MQTT bridge reports into log lines; a refused command says why. */
function logMqtt(log: LogFn): (event: MqttBridgeEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'connected':
        log('info', `mqtt: connected to ${event.broker}`);
        break;
      case 'disconnected':
        log(
          'warn',
          `mqtt: lost ${event.broker}${event.error === null ? '' : ` (${event.error})`}; reconnecting`,
        );
        break;
      case 'retry':
        log('warn', `mqtt: ${event.error}; trying again in ${Math.round(event.delayMs)} ms`);
        break;
      case 'command_ignored':
        // Left to the instance that polls the miner: nothing wrong, nothing to warn about.
        log(
          event.reason === ANOTHER_INSTANCE ? 'debug' : 'warn',
          `mqtt: ignored a message on ${event.topic}: ${event.reason}`,
        );
        break;
      case 'command':
        log(event.ok ? 'info' : 'warn', `mqtt: ${event.command} of ${event.minerId}: ${event.detail}`);
        break;
    }
  };
}

export interface MqttWiring {
  /** The config's `mqtt` section. */
  readonly config: NonNullable<SolowatchConfig['mqtt']>;
  readonly monitor: MinerManager;
  readonly control: MinerControl;
  /** With several instances, whether this one polls the miner; null when it runs alone. */
  readonly owns: ((minerId: string) => boolean) | null;
  /** The server's own address, the default of the links to each miner's page. */
  readonly url: string;
  readonly version: string;
  readonly log: LogFn;
}

/** The bridge, built and not yet started. */
export function buildMqttBridge({
  config,
  monitor,
  control,
  owns,
  url,
  version,
  log,
}: MqttWiring): MqttBridge {
  const settings = resolveMqttSettings(config);
  return new MqttBridge({
    monitor,
    // Every instance hears each command; the one that polls the miner runs it, once.
    ...(owns === null ? {} : { runsHere: owns }),
    settings,
    dashboardUrl: settings.dashboardUrl ?? url,
    version,
    timers: systemTimers,
    random: Math.random,
    onEvent: logMqtt(log),
    control,
  });
}
