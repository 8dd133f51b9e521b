/**
 * The bridge's settings with their defaults, each written once: the config schema describes the
 * keys and quotes these defaults; `resolveMqttSettings` fills them in.
 */

export interface MqttSettings {
  /** The broker, `mqtt://host:1883` or `mqtts://host:8883`. */
  readonly url: string;
  readonly username: string | null;
  readonly password: string | null;
  /** Prefix of every topic solowatch publishes. @default 'solowatch' */
  readonly baseTopic: string;
  /** Publish Home Assistant discovery configs. @default true */
  readonly homeAssistant: boolean;
  /** Where Home Assistant listens for discovery configs. @default 'homeassistant' */
  readonly discoveryPrefix: string;
  /** Offer a restart button and a pause switch on command topics. @default false */
  readonly commands: boolean;
  /** Base of the links to each miner's page; null: the URL the server listens on. @default null */
  readonly dashboardUrl: string | null;
}

export const DEFAULT_MQTT = Object.freeze({
  baseTopic: 'solowatch',
  homeAssistant: true,
  discoveryPrefix: 'homeassistant',
  commands: false,
});

/** The bridge's knobs that are not settings a user needs: timings and limits. */
export interface MqttTuning {
  /** First reconnect delay; doubles up to `maxReconnectDelayMs`, with full jitter. @default 1000 */
  readonly reconnectBaseDelayMs: number;
  /** @default 60000 */
  readonly maxReconnectDelayMs: number;
  /** Time a connection attempt may take. @default 10000 */
  readonly connectTimeoutMs: number;
  /** Least time between two fleet-totals publishes. @default 1000 */
  readonly fleetEveryMs: number;
  /**
   * Bytes written but not yet taken by the socket above which state publishes are skipped (the
   * next poll publishes again); keeps a slow broker from growing memory. @default 1048576
   */
  readonly maxBufferedBytes: number;
  /**
   * Time before a miner whose capabilities could not be read (for its setting entities and pause
   * switch) is asked again; they are otherwise read once, and after a restart. @default 300000
   */
  readonly capabilitiesRetryMs: number;
}

export const DEFAULT_MQTT_TUNING: MqttTuning = Object.freeze({
  reconnectBaseDelayMs: 1000,
  maxReconnectDelayMs: 60_000,
  connectTimeoutMs: 10_000,
  fleetEveryMs: 1000,
  maxBufferedBytes: 1 << 20,
  capabilitiesRetryMs: 300_000,
});

/** What the config file gives (`mqtt` section), before defaults. */
export interface MqttConfig {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly baseTopic?: string;
  readonly homeAssistant?: boolean;
  readonly discoveryPrefix?: string;
  readonly commands?: boolean;
  readonly dashboardUrl?: string;
}

export function resolveMqttSettings(config: MqttConfig): MqttSettings {
  return {
    url: config.url,
    username: config.username ?? null,
    password: config.password ?? null,
    baseTopic: config.baseTopic ?? DEFAULT_MQTT.baseTopic,
    homeAssistant: config.homeAssistant ?? DEFAULT_MQTT.homeAssistant,
    discoveryPrefix: config.discoveryPrefix ?? DEFAULT_MQTT.discoveryPrefix,
    commands: config.commands ?? DEFAULT_MQTT.commands,
    dashboardUrl: config.dashboardUrl ?? null,
  };
}
