/**
 * Home Assistant's MQTT discovery rules that a config must meet to become an entity, written
 * from Home Assistant's documentation (https://www.home-assistant.io/integrations/mqtt/ "MQTT
 * Discovery", https://developers.home-assistant.io/docs/core/entity/sensor/ "Available device
 * classes" with their units, and the binary_sensor, button, switch, number and select pages),
 * as of 2025.
 * Returns the problems found; an empty list means Home Assistant accepts the config.
 */

const ID = /^[a-zA-Z0-9_-]+$/;

/** `<prefix>/<component>/[<node_id>/]<object_id>/config`. */
export function checkDiscoveryTopic(topic: string, prefix: string): string[] {
  if (!topic.startsWith(`${prefix}/`) || !topic.endsWith('/config'))
    return [`${topic}: not under ${prefix}/.../config`];
  const levels = topic.slice(prefix.length + 1, -'/config'.length).split('/');
  if (levels.length < 2 || levels.length > 3)
    return [`${topic}: expected <component>/[<node_id>/]<object_id>`];
  return levels
    .slice(1)
    .flatMap((id) => (ID.test(id) ? [] : [`${topic}: id ${id} has characters HA refuses`]));
}

const STATE_CLASSES = new Set(['measurement', 'measurement_angle', 'total', 'total_increasing']);

/** Sensor device classes with the units Home Assistant accepts for each (the ones it lists). */
const SENSOR_UNITS: Readonly<Record<string, readonly string[] | null>> = {
  temperature: ['°C', '°F', 'K'],
  power: ['mW', 'W', 'kW', 'MW', 'GW', 'TW', 'BTU/h'],
  duration: ['d', 'h', 'min', 's', 'ms', 'µs'],
  voltage: ['µV', 'mV', 'V', 'kV', 'MV'],
  current: ['mA', 'A'],
  energy: ['J', 'kJ', 'MJ', 'GJ', 'mWh', 'Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'cal', 'kcal', 'Mcal', 'Gcal'],
  frequency: ['Hz', 'kHz', 'MHz', 'GHz'],
  timestamp: [],
  enum: [],
  // Classes whose unit is free or not used here.
  monetary: null,
};

const BINARY_SENSOR_CLASSES = new Set([
  'battery',
  'battery_charging',
  'carbon_monoxide',
  'cold',
  'connectivity',
  'door',
  'garage_door',
  'gas',
  'heat',
  'light',
  'lock',
  'moisture',
  'motion',
  'moving',
  'occupancy',
  'opening',
  'plug',
  'power',
  'presence',
  'problem',
  'running',
  'safety',
  'smoke',
  'sound',
  'tamper',
  'update',
  'vibration',
  'window',
]);
const BUTTON_CLASSES = new Set(['identify', 'restart', 'update']);
const SWITCH_CLASSES = new Set(['outlet', 'switch']);

/** Keys each platform cannot do without. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  sensor: ['state_topic'],
  binary_sensor: ['state_topic'],
  button: ['command_topic'],
  switch: ['command_topic'],
  number: ['command_topic'],
  select: ['command_topic', 'options'],
};

const NUMBER_MODES = new Set(['auto', 'box', 'slider']);
const ENTITY_CATEGORIES = new Set(['config', 'diagnostic']);

export function checkDiscoveryPayload(component: string, config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const required = REQUIRED[component];
  if (required === undefined) return [`unknown component ${component}`];
  for (const key of required) if (config[key] === undefined) problems.push(`${key} is required`);
  if (typeof config.command_topic !== 'string' && config.command_topic !== undefined)
    problems.push('command_topic must be a string');
  if (config.entity_category !== undefined && !ENTITY_CATEGORIES.has(String(config.entity_category)))
    problems.push(`entity_category ${String(config.entity_category)} is not valid`);
  // An entity with a device must have a unique_id, or Home Assistant refuses the device.
  if (config.device !== undefined) {
    if (typeof config.unique_id !== 'string' || config.unique_id === '')
      problems.push('unique_id is required with device');
    const device = config.device as Record<string, unknown>;
    const ids = device.identifiers;
    const connections = device.connections;
    const hasIds = Array.isArray(ids) ? ids.length > 0 : typeof ids === 'string';
    const hasConnections = Array.isArray(connections) && connections.length > 0;
    if (!hasIds && !hasConnections) problems.push('device needs identifiers or connections');
    if (hasConnections) {
      for (const pair of connections as unknown[]) {
        if (!Array.isArray(pair) || pair.length !== 2)
          problems.push('device connections are [type, value] pairs');
      }
    }
    if (
      device.configuration_url !== undefined &&
      !/^(https?|homeassistant):\/\//.test(String(device.configuration_url))
    ) {
      problems.push('device configuration_url must be an http(s) URL');
    }
  }
  if (config.origin !== undefined && typeof (config.origin as Record<string, unknown>).name !== 'string') {
    problems.push('origin needs a name');
  }
  for (const key of ['availability_topic', 'state_topic', 'command_topic'] as const) {
    const topic = config[key];
    if (topic !== undefined && (typeof topic !== 'string' || /[#+]/.test(topic) || topic === '')) {
      problems.push(`${key} must be a topic without wildcards`);
    }
  }
  const deviceClass = config.device_class as string | undefined;
  const unit = config.unit_of_measurement as string | undefined;
  const stateClass = config.state_class as string | undefined;
  if (component === 'sensor') {
    if (stateClass !== undefined && !STATE_CLASSES.has(stateClass))
      problems.push(`state_class ${stateClass} is not valid`);
    if (deviceClass !== undefined) {
      if (!(deviceClass in SENSOR_UNITS)) problems.push(`sensor device_class ${deviceClass} is not known`);
      const units = SENSOR_UNITS[deviceClass];
      if (units && units.length > 0 && (unit === undefined || !units.includes(unit))) {
        problems.push(
          `unit ${String(unit)} is not valid for device_class ${deviceClass} (${units.join(', ')})`,
        );
      }
      if (deviceClass === 'enum') {
        if (!Array.isArray(config.options) || config.options.length === 0)
          problems.push('enum sensors need options');
        if (unit !== undefined || stateClass !== undefined)
          problems.push('enum sensors take no unit or state_class');
      }
      if (deviceClass === 'timestamp' && (unit !== undefined || stateClass !== undefined)) {
        problems.push('timestamp sensors take no unit or state_class');
      }
    }
    // Statistics need a number: a state_class on a sensor without a unit is fine, but not on text.
  } else if (component === 'binary_sensor') {
    if (deviceClass !== undefined && !BINARY_SENSOR_CLASSES.has(deviceClass))
      problems.push(`binary_sensor device_class ${deviceClass} is not known`);
  } else if (component === 'button') {
    if (deviceClass !== undefined && !BUTTON_CLASSES.has(deviceClass))
      problems.push(`button device_class ${deviceClass} is not known`);
  } else if (component === 'switch') {
    if (deviceClass !== undefined && !SWITCH_CLASSES.has(deviceClass))
      problems.push(`switch device_class ${deviceClass} is not known`);
  }
  if (component === 'number') {
    // number: min < max (defaults 1 and 100), step >= 0.001, its device class one of the
    // sensor's with the same units, and a mode HA knows.
    const min = config.min ?? 1;
    const max = config.max ?? 100;
    const step = config.step ?? 1;
    if (typeof min !== 'number' || typeof max !== 'number' || !(min < max))
      problems.push(`number needs min < max, got ${String(min)} and ${String(max)}`);
    if (typeof step !== 'number' || step < 0.001) problems.push('number step must be >= 0.001');
    if (config.mode !== undefined && !NUMBER_MODES.has(String(config.mode)))
      problems.push(`number mode ${String(config.mode)} is not valid`);
    if (deviceClass !== undefined) {
      const units = SENSOR_UNITS[deviceClass];
      if (units === undefined || deviceClass === 'enum' || deviceClass === 'timestamp')
        problems.push(`number device_class ${deviceClass} is not known`);
      else if (units && units.length > 0 && (unit === undefined || !units.includes(unit)))
        problems.push(`unit ${String(unit)} is not valid for device_class ${deviceClass}`);
    }
    if (stateClass !== undefined) problems.push('number takes no state_class');
    return problems;
  }
  if (component === 'select') {
    const options = config.options;
    if (!Array.isArray(options) || options.length === 0 || !options.every((o) => typeof o === 'string'))
      problems.push('select options must be a non-empty list of strings');
  }
  if (component !== 'sensor' && (unit !== undefined || stateClass !== undefined)) {
    problems.push(`${component} takes no unit or state_class`);
  }
  return problems;
}

/** The state keys a `{{ value_json.key }}` template reads. */
export function templateKeys(template: unknown): string[] {
  if (typeof template !== 'string') return [];
  return [...template.matchAll(/value_json\.([a-zA-Z0-9_]+)/g)].map((m) => m[1] as string);
}
