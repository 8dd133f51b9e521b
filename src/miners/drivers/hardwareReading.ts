/**
 * What a cgminer-family device tells about its hardware beyond `summary`: temperatures (chip and
 * board apart), fans, power, expected hashrate and its own temperature target. Each family keeps
 * these somewhere else (Avalon's estats MM string, Antminer's `stats`, bosminer's `temps` and
 * `fans`); each reader fills this one shape.
 */
export interface HardwareReading {
  /** Chip average as the device reports it (Avalon TAvg), else the mean of the chip sensors. */
  readonly temperatureC: number | null;
  readonly maxChipTemperatureC: number | null;
  /** Chip sensors only (per chip or per board's hottest chip). */
  readonly chipTemperaturesC: readonly number[];
  /** Board, PCB, inlet and outlet sensors: never a chip's. */
  readonly boardTemperaturesC: readonly number[];
  /** The chip temperature the firmware steers to or stops at (Avalon TarT). */
  readonly chipTempLimitC: number | null;
  readonly fanRpm: readonly number[];
  readonly fanPercent: number | null;
  /** Measured power (W), never a supply's limit or a setting. */
  readonly powerW: number | null;
  readonly expectedHashrateGhs: number | null;
  /** The hardware's own average (Avalon GHSavg): used only when `summary` has no steady window. */
  readonly hashrateGhs: number | null;
  /** Model named by the hardware report (Antminer stats Type, Avalon Ver), when `version` has none. */
  readonly deviceModel: string | null;
}

export const NO_HARDWARE_READING: HardwareReading = Object.freeze({
  temperatureC: null,
  maxChipTemperatureC: null,
  chipTemperaturesC: [],
  boardTemperaturesC: [],
  chipTempLimitC: null,
  fanRpm: [],
  fanPercent: null,
  powerW: null,
  expectedHashrateGhs: null,
  hashrateGhs: null,
  deviceModel: null,
});

/** A sensor value worth reporting: finite and above 0 (0 and -273 are how firmwares say "none"). */
export function sensor(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export function maxOrNull(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.max(...values);
}
