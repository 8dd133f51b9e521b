/**
 * Per-model temperature limits, for devices that do not state their own (DESIGN "Reading real
 * devices": the device's own limit first, then this table, then the configured global). Each
 * figure says where it comes from; a model missing here falls back to the configured global.
 */
import type { MinerKind, MinerSample } from './MinerSample.js';

export interface TemperatureLimits {
  /** Chip temperature at or above which the device is past its limit (°C); null: no chip limit known. */
  readonly chipC: number | null;
  /** The same for the voltage regulator. */
  readonly vrC: number | null;
  /** The same for board/PCB/inlet/outlet sensors (boardTemperaturesC). */
  readonly boardC: number | null;
}

export interface ModelLimits extends TemperatureLimits {
  readonly kind: MinerKind;
  /** Matches the sample's deviceModel; absent: every model of the kind not matched earlier. */
  readonly model?: RegExp;
  /** Where the figures come from (docs/DEVICES.md lists the same). */
  readonly source: string;
}

/** First match wins: specific models before a kind's catch-all. */
export const MODEL_TEMPERATURE_LIMITS: readonly ModelLimits[] = Object.freeze([
  {
    kind: 'axeos',
    chipC: 75,
    vrC: 105,
    boardC: null,
    source:
      'ESP-Miner main/tasks/power_management_task.c: THROTTLE_TEMP 75.0 (chip average, also temp2 on ' +
      'dual-chip boards) and TPS546_THROTTLE_TEMP 105.0 (VR), v2.1.0 to v2.15.0 and every board ' +
      '(Max, Ultra, Supra, Gamma, GammaTurbo/GT, Hex); v2.0.x throttled the chip at 80.0',
  },
  {
    kind: 'nerdqaxe',
    model: /^NerdAxeGamma$/i,
    chipC: 70,
    vrC: 105,
    boardC: null,
    source:
      'ESP-Miner-NerdQAxePlus main/Kconfig.projbuild OVERHEAT_TEMP default 70 (chip); ' +
      'main/boards/nerdaxegamma.cpp sets the VR maximum to TPS546_THROTTLE_TEMP 105.0',
  },
  {
    kind: 'nerdqaxe',
    chipC: 70,
    vrC: 70,
    boardC: null,
    source:
      'ESP-Miner-NerdQAxePlus main/Kconfig.projbuild OVERHEAT_TEMP default 70; ' +
      'main/tasks/power_management_task.cpp (v1.0.36) shuts down when the chip maximum or the VR ' +
      'passes it (0 = disabled was migrated to 70 in nvs_config.cpp)',
  },
  {
    kind: 'cgminer',
    model: /avalon|canaan/i,
    chipC: 95,
    vrC: null,
    boardC: null,
    source:
      'Canaan firmware holds Avalon Nano 3/3s/Q and A-series chips at its TarT target, 85-90 °C by ' +
      'design (issue 11); 95 leaves a band over the highest target for when TarT is not sent',
  },
  {
    kind: 'cgminer',
    model: /antminer/i,
    chipC: 95,
    vrC: null,
    boardC: 90,
    source:
      'bmminer and LuxOS state no limit in their API. The real S19 Pro reply (asic-rs fixture, stock ' +
      '49.0.1.3) runs chips to 78 °C and PCBs to 73 °C while hashing normally, the Braiins OS S9 reply ' +
      'its boards to 75 °C; 95 chip / 90 board sit above that band. Chosen, not from a Bitmain document',
  },
  {
    kind: 'whatsminer',
    chipC: 105,
    vrC: null,
    boardC: 90,
    source:
      'btminer states no limit in its API (Power Limit is a power setting). The real v1 reply (asic-rs ' +
      'fixture, 20210322.22.REL) runs chips to 92.5 °C (average 84) and boards to 71.5 °C while hashing ' +
      'normally; 105 chip / 90 board sit above that band. Chosen, not from a MicroBT document',
  },
] satisfies ModelLimits[]);

const NO_LIMITS: TemperatureLimits = Object.freeze({ chipC: null, vrC: null, boardC: null });

/** The table's limits for a kind and board model; all null when the table has no row for it. */
export function modelTemperatureLimits(kind: MinerKind, deviceModel: string | null): TemperatureLimits {
  for (const row of MODEL_TEMPERATURE_LIMITS) {
    if (row.kind !== kind) continue;
    if (row.model !== undefined && (deviceModel === null || !row.model.test(deviceModel))) continue;
    return row;
  }
  return NO_LIMITS;
}

/** Where an effective limit came from, for alert text and the API. */
export type LimitSource = 'device' | 'model' | 'config';

export interface EffectiveLimit {
  readonly limitC: number;
  readonly source: LimitSource;
}

export interface EffectiveLimits {
  readonly chip: EffectiveLimit;
  readonly vr: EffectiveLimit;
  /** Null when neither the table nor the config gives one: board sensors are then not judged. */
  readonly board: EffectiveLimit | null;
}

/** The fallback limits from configuration (the global thresholds). */
export interface ConfiguredLimits {
  readonly chipC: number;
  readonly vrC: number;
}

/**
 * The limits a sample is judged by: the device's own (chipTempLimitC, vrTempLimitC) where it
 * states them, else the per-model default, else the configured global.
 */
export function effectiveTemperatureLimits(
  sample: Pick<MinerSample, 'kind' | 'deviceModel' | 'chipTempLimitC' | 'vrTempLimitC'>,
  configured: ConfiguredLimits,
): EffectiveLimits {
  const model = modelTemperatureLimits(sample.kind, sample.deviceModel);
  return {
    chip: pick(sample.chipTempLimitC, model.chipC, configured.chipC),
    vr: pick(sample.vrTempLimitC, model.vrC, configured.vrC),
    board: model.boardC === null ? null : { limitC: model.boardC, source: 'model' },
  };
}

function pick(device: number | null, model: number | null, configured: number): EffectiveLimit {
  if (device !== null && Number.isFinite(device) && device > 0) return { limitC: device, source: 'device' };
  if (model !== null) return { limitC: model, source: 'model' };
  return { limitC: configured, source: 'config' };
}
