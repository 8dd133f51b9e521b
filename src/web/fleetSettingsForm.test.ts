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

  it('offers a primary and two fallback pools, and sends all three in order', () => {
    expect(EMPTY_FLEET_SETTINGS.pools).toHaveLength(3);
    const pools = [
      { url: 'stratum+tcp://a:1', user: 'u', password: '' },
      { url: 'stratum+tcp://b:2', user: 'v', password: '' },
      { url: 'stratum+tcp://c:3', user: 'w', password: 'p3' },
    ];
    expect(fleetSettingsOf({ ...EMPTY_FLEET_SETTINGS, pools })).toEqual({
      pools: [
        { url: 'stratum+tcp://a:1', user: 'u' },
        { url: 'stratum+tcp://b:2', user: 'v' },
        { url: 'stratum+tcp://c:3', user: 'w', password: 'p3' },
      ],
    });
    // A half-filled third row is named by its number.
    expect(
      fleetSettingsOf({ ...EMPTY_FLEET_SETTINGS, pools: [pools[0]!, pools[1]!, { ...pools[2]!, user: '' }] }),
    ).toEqual({ field: 'pools', message: 'Pool 3: give both the URL and the user' });
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
