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
        pools: [],
        hostname: null,
        paused: false,
      }),
    ).toEqual({
      frequency_mhz: 525,
      core_voltage_mv: null,
      fan_mode: 'auto',
      fan_target_c: 60,
      fan_percent: null,
      paused: false,
    });
  });
});
