import { describe, expect, it } from 'vitest';
import { makeSample } from '../testing/FakeDriver.js';
import {
  describeOverheating,
  describeTemperatures,
  judgeTemperatures,
  temperatureData,
} from './temperatureHealth.js';

const CONFIGURED = { chipC: 70, vrC: 90 };

describe('temperature health', () => {
  it('keeps chip, VR and board apart, each against its own limit', () => {
    const verdict = judgeTemperatures(
      makeSample({
        kind: 'cgminer',
        deviceModel: 'Avalon Q',
        maxChipTemperatureC: 88,
        vrTemperatureC: null,
        boardTemperaturesC: [40, 45],
        chipTempLimitC: 90,
      }),
      CONFIGURED,
      false,
      3,
    );
    expect(verdict.hot).toBe(false);
    expect(verdict.readings).toEqual([
      { sensor: 'chip', valueC: 88, limitC: 90, limitSource: 'device', hot: false },
      { sensor: 'board', valueC: 45, limitC: null, limitSource: null, hot: false },
    ]);
    expect(describeTemperatures(verdict)).toBe('chip 88.0 °C, board 45.0 °C');
  });

  it('a board temperature is never judged as a chip', () => {
    // 80 °C on an inlet/PCB sensor with chips at 60: no chip limit applies to the board.
    const verdict = judgeTemperatures(
      makeSample({
        kind: 'cgminer',
        deviceModel: 'Unknown',
        maxChipTemperatureC: 60,
        boardTemperaturesC: [80],
      }),
      CONFIGURED,
      false,
      3,
    );
    expect(verdict.hot).toBe(false);
  });

  it('falls back to the average when the hottest chip is unknown', () => {
    const verdict = judgeTemperatures(
      makeSample({ kind: 'axeos', deviceModel: 'Ultra', maxChipTemperatureC: null, temperatureC: 76 }),
      CONFIGURED,
      false,
      3,
    );
    expect(describeOverheating(verdict)).toBe("chip 76.0 °C (limit 75 °C, the model's default)");
  });

  it('applies hysteresis only once hot', () => {
    const sample = makeSample({
      kind: 'axeos',
      deviceModel: 'Gamma',
      maxChipTemperatureC: 73,
      vrTemperatureC: 50,
    });
    expect(judgeTemperatures(sample, CONFIGURED, false, 3).hot).toBe(false);
    expect(judgeTemperatures(sample, CONFIGURED, true, 3).hot).toBe(true);
  });

  it('says "no temperature reported" for a device without sensors, and gives nulls in data', () => {
    const verdict = judgeTemperatures(
      makeSample({ maxChipTemperatureC: null, temperatureC: null, vrTemperatureC: null }),
      CONFIGURED,
      false,
      3,
    );
    expect(describeTemperatures(verdict)).toBe('no temperature reported');
    expect(temperatureData(verdict)).toEqual({ chipC: null, vrC: null, boardC: null, hot: [], limits: {} });
  });
});
