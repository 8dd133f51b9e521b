/**
 * Home Assistant MQTT discovery configs: one device per miner (identified by its MAC), its
 * sensors with device class, state class and unit, a binary sensor for online, the command
 * entities when commands are on, and one more device for the fleet totals.
 * Keys follow https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery (full names, not
 * the abbreviations, so that the payloads read well in `mosquitto_sub`).
 */
import type { SettingsReading } from '../miners/control/settings.js';
import type { MinerKind } from '../miners/MinerSample.js';
import { MINER_STATUSES, type MinerView } from '../monitor/types.js';
import { SETTING_COMPONENTS, settingEntities } from './settingEntities.js';
import type { FleetStatePayload, MinerStatePayload } from './statePayload.js';
import { type CommandName, type Component, FLEET, SETTING_COMMANDS, type Topics } from './topics.js';

/** A sensor of a miner or of the fleet, read from one key of its state JSON. */
interface SensorSpec<K extends string> {
  readonly object: string;
  readonly name: string;
  readonly key: K;
  readonly device_class?: string;
  readonly state_class?: 'measurement' | 'total' | 'total_increasing';
  readonly unit_of_measurement?: string;
  readonly icon?: string;
  readonly entity_category?: 'diagnostic';
  readonly options?: readonly string[];
}

/** Sensors a miner and the fleet both have, each written once. */
type SharedKey = keyof MinerStatePayload & keyof FleetStatePayload;

const HASHRATE: SensorSpec<SharedKey> = {
  object: 'hashrate',
  name: 'Hashrate',
  key: 'hashrate_ghs',
  state_class: 'measurement',
  unit_of_measurement: 'GH/s',
  icon: 'mdi:pickaxe',
};
const EXPECTED_HASHRATE: SensorSpec<SharedKey> = {
  object: 'expected_hashrate',
  name: 'Expected hashrate',
  key: 'expected_hashrate_ghs',
  state_class: 'measurement',
  unit_of_measurement: 'GH/s',
  icon: 'mdi:pickaxe',
};
const POWER: SensorSpec<SharedKey> = {
  object: 'power',
  name: 'Power',
  key: 'power_w',
  device_class: 'power',
  state_class: 'measurement',
  unit_of_measurement: 'W',
};
const EFFICIENCY: SensorSpec<SharedKey> = {
  object: 'efficiency',
  name: 'Efficiency',
  key: 'efficiency_jth',
  state_class: 'measurement',
  unit_of_measurement: 'J/TH',
  icon: 'mdi:lightning-bolt',
};
const SHARES_ACCEPTED: SensorSpec<SharedKey> = {
  object: 'shares_accepted',
  name: 'Shares accepted',
  key: 'shares_accepted',
  state_class: 'total_increasing',
  icon: 'mdi:check',
};
const BEST_DIFFICULTY: SensorSpec<SharedKey> = {
  object: 'best_difficulty',
  name: 'Best difficulty',
  key: 'best_difficulty',
  state_class: 'measurement',
  icon: 'mdi:trophy',
};

export const MINER_SENSORS: readonly SensorSpec<keyof MinerStatePayload>[] = [
  HASHRATE,
  EXPECTED_HASHRATE,
  {
    object: 'temperature',
    name: 'Chip temperature',
    key: 'temperature_c',
    device_class: 'temperature',
    state_class: 'measurement',
    unit_of_measurement: '°C',
  },
  {
    object: 'vr_temperature',
    name: 'VR temperature',
    key: 'vr_temperature_c',
    device_class: 'temperature',
    state_class: 'measurement',
    unit_of_measurement: '°C',
  },
  POWER,
  EFFICIENCY,
  SHARES_ACCEPTED,
  {
    object: 'shares_rejected',
    name: 'Shares rejected',
    key: 'shares_rejected',
    state_class: 'total_increasing',
    icon: 'mdi:close',
  },
  BEST_DIFFICULTY,
  {
    object: 'uptime',
    name: 'Uptime',
    key: 'uptime_s',
    device_class: 'duration',
    state_class: 'measurement',
    unit_of_measurement: 's',
    entity_category: 'diagnostic',
  },
  { object: 'status', name: 'Status', key: 'status', device_class: 'enum', options: MINER_STATUSES },
];

export const FLEET_SENSORS: readonly SensorSpec<keyof FleetStatePayload>[] = [
  HASHRATE,
  EXPECTED_HASHRATE,
  POWER,
  EFFICIENCY,
  {
    object: 'miners_online',
    name: 'Miners online',
    key: 'miners_online',
    state_class: 'measurement',
    icon: 'mdi:server',
  },
  {
    object: 'miners_total',
    name: 'Miners',
    key: 'miners_total',
    state_class: 'measurement',
    icon: 'mdi:server',
  },
  BEST_DIFFICULTY,
  SHARES_ACCEPTED,
];

/** The entities behind `commands: true`, as command -> the platforms it may appear on. */
export const COMMAND_ENTITIES: Readonly<Record<CommandName, readonly Component[]>> = {
  restart: ['button'],
  pause: ['switch'],
  ...SETTING_COMPONENTS,
};

/** Every entity a miner may have, with its platform: what removal clears. */
export const MINER_ENTITIES: readonly { readonly component: Component; readonly object: string }[] = [
  ...MINER_SENSORS.map((s) => ({ component: 'sensor' as const, object: s.object })),
  { component: 'binary_sensor', object: 'online' },
  ...commandEntityList(),
];

function commandEntityList(): { readonly component: Component; readonly object: string }[] {
  return (Object.entries(COMMAND_ENTITIES) as [CommandName, readonly Component[]][]).flatMap(
    ([object, components]) => components.map((component) => ({ component, object })),
  );
}

const MANUFACTURERS: Readonly<Record<MinerKind, string>> = {
  axeos: 'Bitaxe (AxeOS)',
  nerdqaxe: 'NerdQAxe',
  cgminer: 'cgminer',
  whatsminer: 'MicroBT',
};

export interface DiscoveryMessage {
  readonly topic: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface DiscoveryContext {
  readonly topics: Topics;
  /** Base of the dashboard, e.g. `http://127.0.0.1:8080`. */
  readonly dashboardUrl: string;
  /** Commands offered on this miner (those of `commands: true` that it supports). */
  readonly commands: readonly CommandName[];
  readonly version: string;
}

/** `AA:BB:...` -> `aabb...`: a stable id that survives renames and new IP addresses. */
const compactMac = (mac: string) => mac.replaceAll(':', '').toLowerCase();

function deviceOf(view: MinerView, ctx: DiscoveryContext): Record<string, unknown> {
  const sample = view.lastSample;
  const model = sample?.deviceModel ?? sample?.asicModel ?? view.kind;
  return {
    identifiers: [view.mac === null ? `solowatch_${view.id}` : `solowatch_${compactMac(view.mac)}`],
    ...(view.mac === null ? {} : { connections: [['mac', view.mac.toLowerCase()]] }),
    name: view.name,
    manufacturer: MANUFACTURERS[view.kind],
    model,
    ...(sample?.firmware ? { sw_version: sample.firmware } : {}),
    configuration_url: `${ctx.dashboardUrl.replace(/\/+$/, '')}/#/miners/${encodeURIComponent(view.id)}`,
    via_device: ctx.topics.nodeId(FLEET),
  };
}

/** What every entity config carries: its ids, availability, device and origin. */
function entityBase(
  uniqueId: string,
  availability: string,
  device: Record<string, unknown>,
  version: string,
): Record<string, unknown> {
  return {
    unique_id: uniqueId,
    object_id: uniqueId,
    availability_topic: availability,
    device,
    origin: { name: 'solowatch', sw_version: version },
  };
}

function sensorPayload<K extends string>(
  spec: SensorSpec<K>,
  stateTopic: string,
  base: Record<string, unknown>,
): Record<string, unknown> {
  const { object: _object, key, ...shown } = spec;
  return { ...shown, state_topic: stateTopic, value_template: `{{ value_json.${key} }}`, ...base };
}

/**
 * The discovery configs of one miner, and the command entities to withdraw (a platform this
 * device does not offer, e.g. a pause switch from a run before its capabilities were known).
 * `reading` is what the device said it can do; while it is unknown (null) the pause switch and
 * the setting entities are neither offered nor withdrawn.
 */
export function minerDiscovery(
  view: MinerView,
  ctx: DiscoveryContext,
  reading: SettingsReading | null = null,
): { readonly messages: DiscoveryMessage[]; readonly withdrawn: string[] } {
  const { topics } = ctx;
  const device = deviceOf(view, ctx);
  const node = topics.nodeId(view.id);
  const state = topics.state(view.id);
  const common = (object: string) => entityBase(`${node}_${object}`, topics.status, device, ctx.version);
  const messages: DiscoveryMessage[] = MINER_SENSORS.map((spec) => ({
    topic: topics.discovery('sensor', view.id, spec.object),
    payload: sensorPayload(spec, state, common(spec.object)),
  }));
  messages.push({
    topic: topics.discovery('binary_sensor', view.id, 'online'),
    payload: {
      name: 'Online',
      device_class: 'connectivity',
      state_topic: state,
      value_template: "{{ 'ON' if value_json.online else 'OFF' }}",
      payload_on: 'ON',
      payload_off: 'OFF',
      ...common('online'),
    },
  });
  if (ctx.commands.includes('restart')) {
    messages.push({
      topic: topics.discovery('button', view.id, 'restart'),
      payload: {
        name: 'Restart',
        device_class: 'restart',
        command_topic: topics.command(view.id, 'restart'),
        payload_press: 'PRESS',
        ...common('restart'),
      },
    });
  }
  const caps = reading?.capabilities ?? null;
  if (ctx.commands.includes('pause') && caps?.commands.pause === true) {
    messages.push({
      topic: topics.discovery('switch', view.id, 'pause'),
      payload: {
        name: 'Paused',
        icon: 'mdi:pause',
        command_topic: topics.command(view.id, 'pause'),
        state_topic: state,
        value_template: "{{ 'ON' if value_json.paused else 'OFF' }}",
        payload_on: 'ON',
        payload_off: 'OFF',
        state_on: 'ON',
        state_off: 'OFF',
        ...common('pause'),
      },
    });
  }
  if (caps !== null) {
    for (const entity of settingEntities(caps, topics, view.id)) {
      if (!ctx.commands.includes(entity.command)) continue;
      messages.push({
        topic: topics.discovery(entity.component, view.id, entity.command),
        payload: { ...entity.config, ...common(entity.command) },
      });
    }
  }
  // Commands off: every command entity goes. Capabilities known: those this device lacks go.
  const decided = (command: CommandName) =>
    !ctx.commands.includes(command) ||
    command === 'restart' ||
    (caps !== null && (command === 'pause' || (SETTING_COMMANDS as readonly string[]).includes(command)));
  const offered = new Set(messages.map((m) => m.topic));
  const withdrawn = (Object.entries(COMMAND_ENTITIES) as [CommandName, readonly Component[]][])
    .filter(([command]) => decided(command))
    .flatMap(([command, components]) => components.map((c) => topics.discovery(c, view.id, command)))
    .filter((topic) => !offered.has(topic));
  return { messages, withdrawn };
}

/** The topics of every entity a miner may have: all cleared when it is removed. */
export function minerDiscoveryTopics(minerId: string, topics: Topics): string[] {
  return MINER_ENTITIES.map((e) => topics.discovery(e.component, minerId, e.object));
}

/** The fleet totals device and its sensors. */
export function fleetDiscovery(ctx: DiscoveryContext): DiscoveryMessage[] {
  const { topics } = ctx;
  const node = topics.nodeId(FLEET);
  const device = {
    identifiers: [node],
    name: 'solowatch fleet',
    manufacturer: 'solowatch',
    model: 'Fleet totals',
    sw_version: ctx.version,
    configuration_url: ctx.dashboardUrl,
  };
  return FLEET_SENSORS.map((spec) => ({
    topic: topics.discovery('sensor', FLEET, spec.object),
    payload: sensorPayload(
      spec,
      topics.fleetState,
      entityBase(`${node}_${spec.object}`, topics.status, device, ctx.version),
    ),
  }));
}
