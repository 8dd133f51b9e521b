import { describe, expect, it } from 'vitest';
import { axeosInfoFixture } from '../fixtures/axeosInfo.js';
import { nerdQaxeInfoFixture } from '../fixtures/nerdqaxeInfo.js';
import { AXEOS_SPEC } from './axeos.js';
import { NERDQAXE_SPEC, parseNerdQaxeInfo } from './nerdqaxe.js';

describe('NerdQAxe /api/system/info', () => {
  const sample = parseNerdQaxeInfo(nerdQaxeInfoFixture(), 1);

  it('takes every chip from asicTemps and temp as the hottest', () => {
    expect(sample.chipTemperaturesC).toEqual([61.5, 63.25, 60, 62]);
    expect(sample.maxChipTemperatureC).toBe(63.25);
    expect(sample.temperatureC).toBe(63.25);
  });

  it('reads the renamed fields', () => {
    expect(sample.fanRpm).toEqual([3300, 3250]);
    expect(sample.resetReason).toBe('Software reset');
    expect(sample.currentA).toBe(12.43);
    expect(sample.blocksFound).toBe(1);
    expect(sample.deviceModel).toBe('NerdQAxe++');
    expect(sample.inputVoltageV).toBeCloseTo(12.004, 6);
    expect(sample.mac).toBe('AA:BB:CC:DD:EE:01');
    expect(sample.kind).toBe('nerdqaxe');
    expect(sample.warnings).toEqual([]);
  });

  it('keeps its extra fields raw', () => {
    expect(sample.raw).toHaveProperty('hashRate_1d');
    expect(sample.raw).toHaveProperty('pidP');
    expect(sample.raw).not.toHaveProperty('asicTemps');
  });

  it('is told apart from AxeOS by its own keys', () => {
    const nerd = nerdQaxeInfoFixture();
    expect(NERDQAXE_SPEC.score(nerd)).toBeGreaterThan(AXEOS_SPEC.score(nerd));
    for (const release of ['2.0.0', '2.10.0', '2.15.0']) {
      const axe = axeosInfoFixture(release);
      expect(NERDQAXE_SPEC.score(axe)).toBe(0);
      expect(AXEOS_SPEC.score(axe)).toBeGreaterThan(0);
    }
  });
});

describe('NerdQAxe without temp', () => {
  it('falls back to the hottest chip', () => {
    const { temp: _temp, ...info } = nerdQaxeInfoFixture();
    expect(parseNerdQaxeInfo(info, 1).temperatureC).toBe(63.25);
  });
});

describe('NerdQAxe overheat settings', () => {
  const read = (changes: Record<string, unknown>) =>
    parseNerdQaxeInfo({ ...nerdQaxeInfoFixture(), ...changes }, 1);

  it('takes overheat_temp as the chip limit and, without per-channel fans, as the VR limit too', () => {
    const sample = read({ overheat_temp: 75, fans: [{ rpm: 3300 }] });
    expect(sample.chipTempLimitC).toBe(75);
    expect(sample.vrTempLimitC).toBe(75);
  });

  it("takes the VR limit from the second fan channel's overheatTemp where the release has one", () => {
    const sample = read({
      overheat_temp: 72,
      fans: [
        { rpm: 3300, overheatTemp: 72 },
        { rpm: 3250, overheatTemp: 95 },
      ],
    });
    expect(sample.chipTempLimitC).toBe(72);
    expect(sample.vrTempLimitC).toBe(95);
  });

  it("leaves NerdAxeGamma's VR to the table: its board sets its own maximum", () => {
    const sample = read({ deviceModel: 'NerdAxeGamma', overheat_temp: 70, fans: [{ rpm: 3000 }] });
    expect(sample.chipTempLimitC).toBe(70);
    expect(sample.vrTempLimitC).toBeNull();
  });

  it('reads 0 as "disabled" and an impossible value as no limit, with a warning', () => {
    expect(read({ overheat_temp: 0 }).chipTempLimitC).toBeNull();
    const odd = read({ overheat_temp: 1 });
    expect(odd.chipTempLimitC).toBeNull();
    expect(odd.warnings).toEqual([
      expect.stringMatching(/^overheat_temp: not a plausible overheat limit: 1/),
    ]);
  });

  it('has no board sensors', () => {
    expect(read({}).boardTemperaturesC).toEqual([]);
  });
});
