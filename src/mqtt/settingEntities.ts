/**
 * The settings Home Assistant may change, from the device's capabilities: a `number` for the
 * frequency (a `select` when the device takes only its menu), a `number` for the fan (its target
 * temperature where it regulates to one, else a fixed duty in percent), a `select` for the work
 * mode where the device offers a menu of them (an Avalon's). Their state is the
 * settings JSON on `<baseTopic>/<minerId>/settings`, published after every read and read-back;
 * their commands arrive on `<baseTopic>/<minerId>/<command>/set` and are parsed here.
 */
import type {
  Capabilities,
  DeviceSettings,
  SettingsPatch,
  WorkModeOption,
} from '../miners/control/settings.js';
import { numberOf, shown } from './payload.js';
import type { Component, SettingCommand, Topics } from './topics.js';

/** The retained settings JSON: snake_case with units, null where the device does not say. */
export interface SettingsStatePayload {
  readonly frequency_mhz: number | null;
  readonly core_voltage_mv: number | null;
  readonly fan_mode: 'auto' | 'manual' | null;
  readonly fan_target_c: number | null;
  readonly fan_percent: number | null;
  /** The work mode's number (the select shows its name). */
  readonly work_mode: number | null;
  readonly paused: boolean | null;
}

export function settingsState(settings: DeviceSettings): SettingsStatePayload {
  const fan = settings.fan;
  return {
    frequency_mhz: settings.frequencyMhz,
    core_voltage_mv: settings.coreVoltageMv,
    fan_mode: fan?.mode ?? null,
    fan_target_c: fan?.mode === 'auto' ? (fan.targetTempC ?? null) : null,
    // A device that says only the duty in use (an Avalon) shows that duty.
    fan_percent: fan?.mode === 'manual' ? fan.percent : fan === null ? settings.fanPercent : null,
    work_mode: settings.workMode,
    paused: settings.paused,
  };
}

/** How a setting command's payload becomes a patch, and what Home Assistant is told about it. */
interface SettingEntity {
  readonly command: SettingCommand;
  readonly component: Component;
  readonly config: Readonly<Record<string, unknown>>;
  /** The patch for a payload, or why the payload is not one. */
  parse(payload: string): SettingsPatch | string;
}

function frequencyEntity(caps: Capabilities, topics: Topics, minerId: string): SettingEntity | null {
  const frequency = caps.frequencyMhz;
  if (frequency === null) return null;
  const common = {
    name: 'Frequency',
    icon: 'mdi:sine-wave',
    command_topic: topics.command(minerId, 'frequency'),
    state_topic: topics.settings(minerId),
    value_template: '{{ value_json.frequency_mhz }}',
    entity_category: 'config',
  };
  const parse = (payload: string): SettingsPatch | string => {
    const value = numberOf(payload);
    return value === null
      ? `frequency takes a number of MHz, got ${shown(payload)}`
      : { frequencyMhz: value };
  };
  if (frequency.optionsOnly && frequency.options.length > 0) {
    // A select shows the device's own menu; its state must be one of the options, as text.
    return {
      command: 'frequency',
      component: 'select',
      config: {
        ...common,
        options: frequency.options.map(String),
        value_template: '{{ value_json.frequency_mhz | string }}',
      },
      parse,
    };
  }
  return {
    command: 'frequency',
    component: 'number',
    config: {
      ...common,
      device_class: 'frequency',
      unit_of_measurement: 'MHz',
      min: frequency.min,
      max: frequency.max,
      step: 1,
      mode: 'box',
    },
    parse,
  };
}

function fanEntity(caps: Capabilities, topics: Topics, minerId: string): SettingEntity | null {
  const fan = caps.fan;
  if (fan === null) return null;
  const common = {
    command_topic: topics.command(minerId, 'fan'),
    state_topic: topics.settings(minerId),
    entity_category: 'config',
    mode: 'box',
    step: 1,
  };
  if (fan.targetTempC !== null) {
    const range = fan.targetTempC;
    return {
      command: 'fan',
      component: 'number',
      config: {
        ...common,
        name: 'Fan target temperature',
        icon: 'mdi:fan',
        device_class: 'temperature',
        unit_of_measurement: '°C',
        min: range.min,
        max: range.max,
        value_template: '{{ value_json.fan_target_c }}',
      },
      parse: (payload) => {
        const value = numberOf(payload);
        return value === null
          ? `fan takes a target temperature in °C, got ${shown(payload)}`
          : { fan: { mode: 'auto', targetTempC: value } };
      },
    };
  }
  if (fan.manualPercent !== null) {
    const range = fan.manualPercent;
    return {
      command: 'fan',
      component: 'number',
      config: {
        ...common,
        name: 'Fan speed',
        icon: 'mdi:fan',
        unit_of_measurement: '%',
        min: range.min,
        max: range.max,
        value_template: '{{ value_json.fan_percent }}',
      },
      parse: (payload) => {
        const value = numberOf(payload);
        return value === null
          ? `fan takes a speed in percent, got ${shown(payload)}`
          : { fan: { mode: 'manual', percent: value } };
      },
    };
  }
  return null;
}

/** What a work mode is called in the select: its name where the firmware's is known. */
export function workModeLabel(mode: WorkModeOption): string {
  return mode.name ?? `Mode ${mode.value}`;
}

function workModeEntity(caps: Capabilities, topics: Topics, minerId: string): SettingEntity | null {
  const menu = caps.workModes;
  if (menu === null || menu.length === 0) return null;
  // The state carries the mode's number; the template turns it into the option the select shows.
  const labels = Object.fromEntries(menu.map((mode) => [String(mode.value), workModeLabel(mode)]));
  return {
    command: 'work_mode',
    component: 'select',
    config: {
      name: 'Work mode',
      icon: 'mdi:speedometer',
      command_topic: topics.command(minerId, 'work_mode'),
      state_topic: topics.settings(minerId),
      value_template: `{{ ${JSON.stringify(labels)}.get(value_json.work_mode | string) }}`,
      entity_category: 'config',
      options: menu.map(workModeLabel),
    },
    parse: (payload) => {
      const mode = menu.find((m) => workModeLabel(m) === payload || String(m.value) === payload);
      return mode === undefined
        ? `work_mode takes one of ${menu.map(workModeLabel).join(', ')}, got ${shown(payload)}`
        : { workMode: mode.value };
    },
  };
}

/** The setting entities this device offers. */
export function settingEntities(caps: Capabilities, topics: Topics, minerId: string): SettingEntity[] {
  return [
    frequencyEntity(caps, topics, minerId),
    fanEntity(caps, topics, minerId),
    workModeEntity(caps, topics, minerId),
  ].filter((entity): entity is SettingEntity => entity !== null);
}

/** Every platform a setting command may appear on: what is cleared when it is not offered. */
export const SETTING_COMPONENTS: Readonly<Record<SettingCommand, readonly Component[]>> = {
  frequency: ['number', 'select'],
  fan: ['number'],
  work_mode: ['select'],
};
