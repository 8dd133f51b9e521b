import { describe, expect, it } from 'vitest';
import { axeosInfoFixture, FIXTURE, formatDifficulty } from '../fixtures/axeosInfo.js';
import { AXEOS_RELEASES, releaseKeys } from '../fixtures/axeosReleaseKeys.js';
import { parseAxeosInfo } from './axeos.js';

const NOW = 1_750_000_000_000;

describe('AxeOS /api/system/info, release by release', () => {
  it('covers every release from v2.0 to v2.15', () => {
    expect(AXEOS_RELEASES).toEqual([
      '2.0.0',
      '2.2.0',
      '2.4.0',
      '2.6.0',
      '2.8.0',
      '2.9.0',
      '2.10.0',
      '2.11.0',
      '2.12.0',
      '2.13.0',
      '2.14.0',
      '2.15.0',
    ]);
  });

  describe.each(AXEOS_RELEASES)('v%s', (release) => {
    const info = axeosInfoFixture(release);
    const keys = new Set(releaseKeys(release).map(([key]) => key));
    const sample = parseAxeosInfo(info, NOW);

    it('reads a well-typed answer without a single warning', () => {
      expect(sample.warnings).toEqual([]);
      expect(sample.kind).toBe('axeos');
      expect(sample.timestamp).toBe(NOW);
    });

    it('reads hashrate, temperature, power and shares in their units', () => {
      // The 1-minute average where the release has one, else the instant reading.
      expect(sample.hashrateGhs).toBe(keys.has('hashRate_1m') ? FIXTURE.hashRate1m : FIXTURE.hashRate);
      expect(sample.temperatureC).toBe(FIXTURE.temp);
      expect(sample.powerW).toBe(FIXTURE.power);
      expect(sample.inputVoltageV).toBeCloseTo(5.012, 6);
      expect(sample.currentA).toBeCloseTo(3.47, 6);
      expect(sample.sharesAccepted).toBe(FIXTURE.sharesAccepted);
      expect(sample.sharesRejected).toBe(FIXTURE.sharesRejected);
      expect(sample.uptimeS).toBe(FIXTURE.uptimeSeconds);
      expect(sample.asicModel).toBe('BM1370');
      expect(sample.firmware).toBe(`v${release}`);
    });

    it('reads the fan as each release means it: fanSpeed is the tachometer up to v2.1', () => {
      if (keys.has('fanrpm')) {
        expect(sample.fanPercent).toBe(FIXTURE.fanPercent);
        expect(sample.fanRpm).toEqual([FIXTURE.fanrpm]);
      } else {
        expect(keys.has('fanSpeed')).toBe(true);
        expect(sample.fanRpm).toEqual([FIXTURE.fanrpm]);
        expect(sample.fanPercent).toBeNull();
      }
    });

    it('reads best difficulties as numbers, whatever the release wrote', () => {
      expect(typeof info.bestDiff).toBe(Number(release.split('.')[1]) >= 11 ? 'number' : 'string');
      expect(sample.bestDifficulty).toBeCloseTo(FIXTURE.bestDiff, -7);
      if (keys.has('bestSessionDiff'))
        expect(sample.sessionBestDifficulty).toBeCloseTo(FIXTURE.bestSessionDiff, -5);
      else expect(sample.sessionBestDifficulty).toBeNull();
    });

    it('reports the expected hashrate, or derives it when the release has none', () => {
      if (keys.has('expectedHashrate')) expect(sample.expectedHashrateGhs).toBe(FIXTURE.expectedHashrate);
      else if (keys.has('asicCount') && keys.has('smallCoreCount'))
        expect(sample.expectedHashrateGhs).toBeCloseTo((525 * 2040 * 1) / 1000, 6);
      else expect(sample.expectedHashrateGhs).toBeNull();
    });

    it('gives null, not 0, for what the release does not send', () => {
      if (!keys.has('vrTemp')) expect(sample.vrTemperatureC).toBeNull();
      if (!keys.has('macAddr')) expect(sample.mac).toBeNull();
      if (!keys.has('hostname')) expect(sample.hostname).toBeNull();
      if (!keys.has('networkDifficulty')) expect(sample.networkDifficulty).toBeNull();
      if (!keys.has('blockHeight')) expect(sample.blockHeight).toBeNull();
    });

    it('normalizes the MAC and composes the pool URL', () => {
      if (keys.has('macAddr')) expect(sample.mac).toBe('24:58:7C:A1:B2:C3');
      expect(sample.poolUrl).toBe('stratum+tcp://public-pool.io:21496');
      expect(sample.poolUser).toBe(FIXTURE.stratumUser);
    });

    it('keeps unmapped fields in raw and never the secrets', () => {
      expect(sample.raw).not.toHaveProperty('wifiPass');
      expect(sample.raw).not.toHaveProperty('stratumPassword');
      expect(sample.raw).not.toHaveProperty('hashRate');
      expect(sample.raw).toHaveProperty('coreVoltage');
      for (const key of Object.keys(sample.raw)) expect(keys.has(key)).toBe(true);
    });
  });

  it('reports the second chip sensor and takes the hotter as max', () => {
    const sample = parseAxeosInfo(axeosInfoFixture('2.12.0'), NOW);
    expect(sample.chipTemperaturesC).toEqual([58.5, 60.25]);
    expect(sample.maxChipTemperatureC).toBe(60.25);
  });

  it('states no limits (its throttle points are compiled in) and no board sensors', () => {
    const sample = parseAxeosInfo(axeosInfoFixture('2.15.0'), NOW);
    expect(sample.chipTempLimitC).toBeNull();
    expect(sample.vrTempLimitC).toBeNull();
    expect(sample.boardTemperaturesC).toEqual([]);
  });

  it('reads vrTemp 0 as "no VR sensor" (Max and early boards send 0), never as 0 °C', () => {
    expect(parseAxeosInfo({ ...axeosInfoFixture('2.6.0'), vrTemp: 0 }, NOW).vrTemperatureC).toBeNull();
    expect(parseAxeosInfo({ ...axeosInfoFixture('2.6.0'), vrTemp: 47 }, NOW).vrTemperatureC).toBe(47);
  });

  it('follows the fallback pool when the device uses it', () => {
    const info = { ...axeosInfoFixture('2.13.0'), isUsingFallbackStratum: 1, fallbackStratumTLS: 1 };
    const sample = parseAxeosInfo(info, NOW);
    expect(sample.poolUrl).toBe('stratum+ssl://solo.ckpool.org:3333');
    expect(sample.poolUser).toBe('bc1qfallback.worker');
  });

  it('reports wrong types instead of crashing, and reads plain numeric strings', () => {
    const info = {
      ...axeosInfoFixture('2.15.0'),
      hashRate: '1071.25',
      hashRate_1m: undefined,
      temp: null,
      power: { watts: 17 },
      sharesRejectedReasons: {},
      bestDiff: 'lots',
      macAddr: 'not-a-mac',
    };
    const sample = parseAxeosInfo(info, NOW);
    expect(sample.hashrateGhs).toBe(1071.25);
    expect(sample.temperatureC).toBeNull();
    expect(sample.powerW).toBeNull();
    expect(sample.bestDifficulty).toBeNull();
    expect(sample.mac).toBeNull();
    expect(sample.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^hashRate: expected a number, got string "1071.25"; read as 1071.25/),
        expect.stringMatching(/^power: expected a number, got an object/),
        expect.stringMatching(/^sharesRejectedReasons: expected an array/),
        expect.stringMatching(/^bestDiff: expected a difficulty/),
        expect.stringMatching(/^macAddr: not a MAC address/),
      ]),
    );
  });

  it('keeps fields it has never heard of', () => {
    const sample = parseAxeosInfo({ ...axeosInfoFixture('2.15.0'), brandNewField: { a: 1 } }, NOW);
    expect(sample.raw.brandNewField).toEqual({ a: 1 });
  });

  it('formats fixture difficulties as each release prints them', () => {
    expect(formatDifficulty('2.0.0', 2_560_000_000)).toBe('2.56G');
    expect(formatDifficulty('2.9.0', 2_560_000_000)).toBe('2.56G');
    expect(formatDifficulty('2.10.0', 2_560_000_000)).toBe('2.56 G');
    expect(formatDifficulty('2.10.0', 512)).toBe('512');
    expect(formatDifficulty('2.11.0', 512)).toBe(512);
  });
});

describe('pool difficulty under each name a build has used', () => {
  it.each([
    ['stratumDiff', 'v2.6-v2.8'],
    ['stratumDifficulty', 'v2.9 development builds (ESP-Miner #1064)'],
    ['poolDifficulty', 'v2.9.0 and later'],
  ])('reads %s (%s)', (key) => {
    const info: Record<string, unknown> = { ...axeosInfoFixture('2.8.0') };
    delete info.stratumDiff;
    info[key] = 65536;
    const sample = parseAxeosInfo(info, NOW);
    expect(sample.poolDifficulty).toBe(65536);
    expect(sample.raw).not.toHaveProperty(key);
  });
});
