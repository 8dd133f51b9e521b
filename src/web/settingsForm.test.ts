import { describe, expect, it } from 'vitest';
import { fieldOfMessage, formOf, patchOf } from './settingsForm.js';
import type { Capabilities, DeviceSettings } from './types.js';

const range = (min: number, max: number) => ({ min, max, options: [], default: null, optionsOnly: false });

const caps: Capabilities = {
  frequencyMhz: range(400, 625),
  coreVoltageMv: range(1000, 1250),
  fan: { auto: true, targetTempC: range(35, 66), manualPercent: range(0, 100) },
  pools: { max: 2 },
  hostname: { maxLength: 32 },
  workModes: null,
  commands: { pause: true, resume: true, identify: true, restart: true },
  restartRequiredFor: ['frequencyMhz'],
  source: '/api/system/asic',
};

const settings: DeviceSettings = {
  frequencyMhz: 525,
  coreVoltageMv: 1150,
  fan: { mode: 'auto', targetTempC: 60 },
  pools: [{ url: 'stratum+tcp://a:3333', user: 'bc1q.w', status: null }],
  hostname: 'bitaxe',
  fanPercent: 40,
  workMode: null,
  paused: false,
};

describe('settings form', () => {
  it('is filled from the device, with an empty row for each free pool place', () => {
    const form = formOf(settings, caps);
    expect(form).toMatchObject({
      frequencyMhz: '525',
      fanMode: 'auto',
      targetTempC: '60',
      hostname: 'bitaxe',
    });
    expect(form.pools).toEqual([
      { url: 'stratum+tcp://a:3333', user: 'bc1q.w', password: '' },
      { url: '', user: '', password: '' },
    ]);
  });

  it('sends nothing for an untouched form', () => {
    expect(patchOf(formOf(settings, caps), settings, caps)).toEqual({});
  });

  it('sends only what changed, as numbers, and leaves range checks to the server', () => {
    const form = {
      ...formOf(settings, caps),
      frequencyMhz: '900',
      fanMode: 'manual' as const,
      fanPercent: '80',
    };
    expect(patchOf(form, settings, caps)).toEqual({
      frequencyMhz: 900,
      fan: { mode: 'manual', percent: 80 },
    });
  });

  it('names the field that is not a number', () => {
    const form = { ...formOf(settings, caps), coreVoltageMv: 'abc' };
    expect(patchOf(form, settings, caps)).toEqual({
      field: 'coreVoltageMv',
      message: 'Core voltage: a number',
    });
  });

  it('sends the pool list when a password is given, and omits empty passwords', () => {
    const base = formOf(settings, caps);
    const form = {
      ...base,
      pools: [
        { ...base.pools[0]!, password: 'x' },
        { url: 'stratum+tcp://b:3333', user: 'u', password: '' },
      ],
    };
    expect(patchOf(form, settings, caps)).toEqual({
      pools: [
        { url: 'stratum+tcp://a:3333', user: 'bc1q.w', password: 'x' },
        { url: 'stratum+tcp://b:3333', user: 'u' },
      ],
    });
  });

  it('refuses a pool with a URL but no user', () => {
    const base = formOf(settings, caps);
    const form = { ...base, pools: [base.pools[0]!, { url: 'stratum+tcp://b:1', user: '', password: '' }] };
    expect(patchOf(form, settings, caps)).toMatchObject({ field: 'pools' });
  });

  it('never sends what the device cannot set', () => {
    const none: Capabilities = { ...caps, frequencyMhz: null, hostname: null };
    const form = { ...formOf(settings, none), frequencyMhz: '600', hostname: 'other' };
    expect(patchOf(form, settings, none)).toEqual({});
  });

  it('an Avalon: a changed work mode is sent as its number; a fixed duty starts from the duty in use', () => {
    const avalonCaps: Capabilities = {
      ...caps,
      frequencyMhz: null,
      coreVoltageMv: null,
      hostname: null,
      workModes: [
        { value: 0, name: 'Eco' },
        { value: 1, name: 'Standard' },
      ],
    };
    const avalon: DeviceSettings = { ...settings, fan: null, fanPercent: 33, workMode: 0 };
    const form = formOf(avalon, avalonCaps);
    expect(form).toMatchObject({ workMode: '0', fanMode: 'auto', fanPercent: '33' });
    expect(patchOf(form, avalon, avalonCaps)).toEqual({});
    expect(patchOf({ ...form, workMode: '1' }, avalon, avalonCaps)).toEqual({ workMode: 1 });
    // Where the device has no work modes, none is ever sent.
    expect(patchOf({ ...formOf(settings, caps), workMode: '1' }, settings, caps)).toEqual({});
  });

  it('finds the field the server names', () => {
    expect(fieldOfMessage('frequencyMhz 900 is outside what this device accepts: 400-625 MHz')).toBe(
      'frequencyMhz',
    );
    expect(fieldOfMessage('body.pools/0/url must match')).toBe('pools');
    expect(fieldOfMessage('this device cannot set fan.manual')).toBe('fan');
    expect(fieldOfMessage('workMode 3 is not a work mode of this device: one of 0 (Low)')).toBe('workMode');
    expect(fieldOfMessage('the breaker is open')).toBeNull();
  });
});
