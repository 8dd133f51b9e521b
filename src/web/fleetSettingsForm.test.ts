import { describe, expect, it } from 'vitest';
import { describeSettings, EMPTY_FLEET_SETTINGS, fleetSettingsOf } from './fleetSettingsForm.js';

describe('fleet settings form', () => {
  it('asks for at least one setting', () => {
    expect(fleetSettingsOf(EMPTY_FLEET_SETTINGS)).toEqual({
      field: null,
      message: 'Give at least one setting to change',
    });
  });

  it('sends only the fields filled in, pools without empty passwords', () => {
    const settings = fleetSettingsOf({
      ...EMPTY_FLEET_SETTINGS,
      frequencyMhz: '550',
      fan: 'auto',
      pools: [
        { url: 'stratum+tcp://a:1', user: 'u', password: '' },
        { url: 'stratum+tcp://b:2', user: 'v', password: 'p' },
      ],
    });
    expect(settings).toEqual({
      frequencyMhz: 550,
      fan: { mode: 'auto' },
      pools: [
        { url: 'stratum+tcp://a:1', user: 'u' },
        { url: 'stratum+tcp://b:2', user: 'v', password: 'p' },
      ],
    });
  });

  it('names the field that is wrong', () => {
    expect(fleetSettingsOf({ ...EMPTY_FLEET_SETTINGS, coreVoltageMv: '-3' })).toMatchObject({
      field: 'coreVoltageMv',
    });
    expect(fleetSettingsOf({ ...EMPTY_FLEET_SETTINGS, fan: 'manual' })).toMatchObject({ field: 'fan' });
    expect(
      fleetSettingsOf({
        ...EMPTY_FLEET_SETTINGS,
        pools: [{ url: 'stratum+tcp://a:1', user: '', password: '' }],
      }),
    ).toMatchObject({ field: 'pools' });
  });

  it('describes settings in a few words, never with a password', () => {
    const text = describeSettings({
      frequencyMhz: 500,
      fan: { mode: 'manual', percent: 70 },
      pools: [{ url: 'stratum+tcp://a:1', user: 'u', password: 'secret' }],
    });
    expect(text).toBe('500 MHz, fan 70%, pool stratum+tcp://a:1');
  });
});
