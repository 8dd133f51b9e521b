import { describe, expect, it } from 'vitest';
import {
  effectiveTemperatureLimits,
  MODEL_TEMPERATURE_LIMITS,
  modelTemperatureLimits,
} from './temperatureLimits.js';

const CONFIGURED = { chipC: 70, vrC: 90 };

describe('per-model temperature limits', () => {
  it('gives every AxeOS board the firmware throttle points: chip 75, VR 105', () => {
    for (const model of ['Max', 'Ultra', 'Supra', 'Gamma', 'GammaTurbo', 'Hex', null]) {
      expect(modelTemperatureLimits('axeos', model)).toMatchObject({ chipC: 75, vrC: 105, boardC: null });
    }
  });

  it("gives NerdQAxe the overheat default, and NerdAxeGamma its board's VR maximum", () => {
    expect(modelTemperatureLimits('nerdqaxe', 'NerdQAxe++')).toMatchObject({ chipC: 70, vrC: 70 });
    expect(modelTemperatureLimits('nerdqaxe', 'NerdAxeGamma')).toMatchObject({ chipC: 70, vrC: 105 });
  });

  it('knows Avalons by model and leaves unknown cgminer models to the configuration', () => {
    expect(modelTemperatureLimits('cgminer', 'Avalon Nano3s').chipC).toBe(95);
    expect(modelTemperatureLimits('cgminer', 'Some other box')).toEqual({
      chipC: null,
      vrC: null,
      boardC: null,
    });
    expect(modelTemperatureLimits('cgminer', null).chipC).toBeNull();
  });

  it('gives Antminer (stock, LuxOS) and Whatsminer limits above what the real replies run at', () => {
    // S19 Pro stock: chips to 78, PCBs to 73; Whatsminer v1: chips to 92.5, boards to 71.5.
    expect(modelTemperatureLimits('cgminer', 'Antminer S19 Pro')).toMatchObject({ chipC: 95, boardC: 90 });
    expect(modelTemperatureLimits('cgminer', 'Antminer S19k Pro')).toMatchObject({ chipC: 95, boardC: 90 });
    expect(modelTemperatureLimits('whatsminer', null)).toMatchObject({ chipC: 105, boardC: 90 });
    expect(modelTemperatureLimits('cgminer', 'AvalonMiner 1246').chipC).toBe(95);
  });

  it('says where every figure comes from', () => {
    for (const row of MODEL_TEMPERATURE_LIMITS) expect(row.source.length).toBeGreaterThan(20);
  });
});

describe('effective limits: the device, then the model, then the configuration', () => {
  it("takes the device's own limits first", () => {
    const limits = effectiveTemperatureLimits(
      { kind: 'nerdqaxe', deviceModel: 'NerdQAxe++', chipTempLimitC: 80, vrTempLimitC: 85 },
      CONFIGURED,
    );
    expect(limits.chip).toEqual({ limitC: 80, source: 'device' });
    expect(limits.vr).toEqual({ limitC: 85, source: 'device' });
  });

  it("falls back to the model's default where the device states none", () => {
    const limits = effectiveTemperatureLimits(
      { kind: 'axeos', deviceModel: 'Gamma', chipTempLimitC: null, vrTempLimitC: null },
      CONFIGURED,
    );
    expect(limits.chip).toEqual({ limitC: 75, source: 'model' });
    expect(limits.vr).toEqual({ limitC: 105, source: 'model' });
    expect(limits.board).toBeNull();
  });

  it('falls back to the configured global for a model the table does not know', () => {
    const limits = effectiveTemperatureLimits(
      { kind: 'cgminer', deviceModel: 'Unknown', chipTempLimitC: null, vrTempLimitC: 0 },
      CONFIGURED,
    );
    expect(limits.chip).toEqual({ limitC: 70, source: 'config' });
    expect(limits.vr).toEqual({ limitC: 90, source: 'config' });
  });
});
