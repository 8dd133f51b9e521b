import { describe, expect, it } from 'vitest';
import type { Capabilities, NumericCapability } from '../miners/control/settings.js';
import { settingEntities, settingsState } from './settingEntities.js';
import { Topics } from './topics.js';

const topics = new Topics('sw', 'homeassistant');
const range = (min: number, max: number, options: number[] = [], optionsOnly = false): NumericCapability => ({
  min,
  max,
  options,
  default: null,
  optionsOnly,
});
const NONE: Capabilities = {
  frequencyMhz: null,
  coreVoltageMv: null,
  fan: null,
  pools: null,
  hostname: null,
  workModes: null,
  commands: { pause: false, resume: false, identify: false, restart: true },
  restartRequiredFor: [],
  source: 'test',
};

describe('settingEntities', () => {
  it('offers nothing for a device that can change nothing', () => {
    expect(settingEntities(NONE, topics, 'm1')).toEqual([]);
  });

  it('a device that takes only its menu gets a select of that menu, as text', () => {
    const [entity] = settingEntities(
      { ...NONE, frequencyMhz: range(400, 575, [400, 490, 525, 575], true) },
      topics,
      'm1',
    );
    expect(entity?.component).toBe('select');
    expect(entity?.config).toMatchObject({
      options: ['400', '490', '525', '575'],
      command_topic: 'sw/m1/frequency/set',
      state_topic: 'sw/m1/settings',
    });
    expect(entity?.parse('490')).toEqual({ frequencyMhz: 490 });
  });

  it('a fan with a fixed duty only is a percent number; with a target, a temperature', () => {
    const manual = settingEntities(
      { ...NONE, fan: { auto: true, targetTempC: null, manualPercent: range(15, 100) } },
      topics,
      'm1',
    );
    expect(manual[0]?.config).toMatchObject({
      name: 'Fan speed',
      unit_of_measurement: '%',
      min: 15,
      max: 100,
    });
    expect(manual[0]?.parse('80')).toEqual({ fan: { mode: 'manual', percent: 80 } });
    const target = settingEntities(
      { ...NONE, fan: { auto: true, targetTempC: range(35, 85), manualPercent: range(0, 100) } },
      topics,
      'm1',
    );
    expect(target[0]?.config).toMatchObject({ device_class: 'temperature', unit_of_measurement: '°C' });
    expect(target[0]?.parse('60')).toEqual({ fan: { mode: 'auto', targetTempC: 60 } });
  });

  it.each(['fast', '5e2', '0x22', 'NaN', 'Infinity', '', '1,5'])(
    'refuses the payload %j naming it',
    (payload) => {
      const [entity] = settingEntities({ ...NONE, frequencyMhz: range(400, 600) }, topics, 'm1');
      expect(entity?.parse(payload)).toBe(`frequency takes a number of MHz, got ${JSON.stringify(payload)}`);
    },
  );

  it('the settings state names each value with its unit, null where the device does not say', () => {
    expect(
      settingsState({
        frequencyMhz: 525,
        coreVoltageMv: null,
        fan: { mode: 'auto', targetTempC: 60 },
        fanPercent: 45,
        pools: [],
        hostname: null,
        workMode: null,
        paused: false,
      }),
    ).toEqual({
      frequency_mhz: 525,
      core_voltage_mv: null,
      fan_mode: 'auto',
      fan_target_c: 60,
      fan_percent: null,
      work_mode: null,
      paused: false,
    });
  });

  it('an Avalon, which says only its duty and work mode: both in the state, fan mode unknown', () => {
    const state = settingsState({
      frequencyMhz: null,
      coreVoltageMv: null,
      fan: null,
      fanPercent: 33,
      pools: [],
      hostname: null,
      workMode: 2,
      paused: false,
    });
    expect(state).toMatchObject({ fan_mode: null, fan_percent: 33, work_mode: 2 });
  });

  it('a device with a work-mode menu gets a select of its names; a name or number sets it', () => {
    const caps = {
      ...NONE,
      workModes: [
        { value: 0, name: 'Low' },
        { value: 1, name: 'Medium' },
        { value: 2, name: null },
      ],
    };
    const [entity] = settingEntities(caps, topics, 'm1');
    expect(entity?.command).toBe('work_mode');
    expect(entity?.component).toBe('select');
    expect(entity?.config).toMatchObject({
      options: ['Low', 'Medium', 'Mode 2'],
      command_topic: topics.command('m1', 'work_mode'),
    });
    expect(entity?.parse('Medium')).toEqual({ workMode: 1 });
    expect(entity?.parse('2')).toEqual({ workMode: 2 });
    expect(entity?.parse('Turbo')).toBe('work_mode takes one of Low, Medium, Mode 2, got "Turbo"');
    expect(settingEntities({ ...NONE, workModes: null }, topics, 'm1')).toEqual([]);
  });
});
