/** The MQTT and Home Assistant bridge (DESIGN "Home Assistant and MQTT", docs/HOME_ASSISTANT.md). */

export type { ConnectionEvent, ConnectionState, ConnectionStatus } from './Connection.js';
export { ANOTHER_INSTANCE, type CommandEvent, type CommandResult, PRESS } from './commands.js';
export { FLEET_SENSORS, MINER_ENTITIES, MINER_SENSORS } from './discovery.js';
export { brokerName, isMqttError, MqttError, type MqttErrorCode } from './errors.js';
export {
  type BridgeMonitor,
  MqttBridge,
  type MqttBridgeEvent,
  type MqttBridgeOptions,
  type MqttStatus,
} from './MqttBridge.js';
export {
  DEFAULT_MQTT,
  DEFAULT_MQTT_TUNING,
  type MqttConfig,
  type MqttSettings,
  type MqttTuning,
  resolveMqttSettings,
} from './settings.js';
export { type FleetStatePayload, fleetState, type MinerStatePayload, minerState } from './statePayload.js';
export { COMMANDS, type CommandName, FLEET, Topics } from './topics.js';
