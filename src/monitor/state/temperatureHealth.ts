/**
 * Whether a sample's temperatures are past their limits, sensor by sensor: chip, VR and board
 * apart, each against the device's own limit, else its model's default, else the configured
 * global (DESIGN "Reading real devices"). Pure: the status policy calls it once per sample.
 */
import type { MinerSample } from '../../miners/MinerSample.js';
import { maxOf } from '../../miners/parse/units.js';
import {
  type ConfiguredLimits,
  effectiveTemperatureLimits,
  type LimitSource,
} from '../../miners/temperatureLimits.js';

export type Sensor = 'chip' | 'vr' | 'board';

export interface SensorReading {
  readonly sensor: Sensor;
  readonly valueC: number;
  /** Null when nothing gives this sensor a limit (board sensors of a model the table lacks). */
  readonly limitC: number | null;
  readonly limitSource: LimitSource | null;
  readonly hot: boolean;
}

export interface TemperatureVerdict {
  readonly hot: boolean;
  /** Only the sensors the device has: a board without a VR sensor has no VR reading. */
  readonly readings: readonly SensorReading[];
}

type TemperatureFields = Pick<
  MinerSample,
  | 'kind'
  | 'deviceModel'
  | 'temperatureC'
  | 'maxChipTemperatureC'
  | 'vrTemperatureC'
  | 'boardTemperaturesC'
  | 'chipTempLimitC'
  | 'vrTempLimitC'
>;

/**
 * `wasHot`: the miner was overheating at the last sample; it must then cool `hysteresisC` below
 * a limit to count as cool, so a temperature hovering at the limit does not flap.
 */
export function judgeTemperatures(
  sample: TemperatureFields,
  configured: ConfiguredLimits,
  wasHot: boolean,
  hysteresisC: number,
): TemperatureVerdict {
  const limits = effectiveTemperatureLimits(sample, configured);
  const margin = wasHot ? hysteresisC : 0;
  const readings: SensorReading[] = [];
  const add = (
    sensor: Sensor,
    valueC: number | null,
    limit: { limitC: number; source: LimitSource } | null,
  ) => {
    if (valueC === null || !Number.isFinite(valueC)) return;
    const limitC = limit?.limitC ?? null;
    const hot = limitC !== null && valueC >= limitC - margin;
    readings.push({ sensor, valueC, limitC, limitSource: limit?.source ?? null, hot });
  };
  add('chip', sample.maxChipTemperatureC ?? sample.temperatureC, limits.chip);
  add('vr', sample.vrTemperatureC, limits.vr);
  add('board', sample.boardTemperaturesC.length > 0 ? maxOf(sample.boardTemperaturesC) : null, limits.board);
  return { hot: readings.some((reading) => reading.hot), readings };
}

const SENSOR_NAMES: Readonly<Record<Sensor, string>> = Object.freeze({
  chip: 'chip',
  vr: 'VR',
  board: 'board',
});

const SOURCE_NAMES: Readonly<Record<LimitSource, string>> = Object.freeze({
  device: 'set on the device',
  model: "the model's default",
  config: 'the configured limit',
});

function degrees(value: number): string {
  return `${value.toFixed(1)} °C`;
}

/** "chip 78.0 °C (limit 75 °C, the model's default)": the hot sensors, named. */
export function describeOverheating(verdict: TemperatureVerdict): string {
  return verdict.readings
    .filter((reading) => reading.hot)
    .map(
      (reading) =>
        `${SENSOR_NAMES[reading.sensor]} ${degrees(reading.valueC)} (limit ${reading.limitC} °C, ${
          reading.limitSource === null ? 'unknown' : SOURCE_NAMES[reading.limitSource]
        })`,
    )
    .join(', ');
}

/** "chip 60.0 °C, VR 50.0 °C": every sensor the device has; "no temperature reported" if none. */
export function describeTemperatures(verdict: TemperatureVerdict): string {
  if (verdict.readings.length === 0) return 'no temperature reported';
  return verdict.readings
    .map((reading) => `${SENSOR_NAMES[reading.sensor]} ${degrees(reading.valueC)}`)
    .join(', ');
}

/** The event data: each sensor's value (null when the device has none), the hot ones and limits. */
export function temperatureData(verdict: TemperatureVerdict): Record<string, unknown> {
  const of = (sensor: Sensor) => verdict.readings.find((reading) => reading.sensor === sensor);
  return {
    chipC: of('chip')?.valueC ?? null,
    vrC: of('vr')?.valueC ?? null,
    boardC: of('board')?.valueC ?? null,
    hot: verdict.readings.filter((reading) => reading.hot).map((reading) => reading.sensor),
    limits: Object.fromEntries(
      verdict.readings.map((reading) => [
        reading.sensor,
        { limitC: reading.limitC, source: reading.limitSource },
      ]),
    ),
  };
}
