/**
 * The one normalized reading every driver produces, whatever the device speaks.
 * Units are in the names; `null` means "this device or firmware does not report it", never 0.
 */
/** Every kind of device a driver reads; the API, the config file and the CLI accept these names. */
export const MINER_KINDS = ['axeos', 'nerdqaxe', 'cgminer', 'whatsminer'] as const;
export type MinerKind = (typeof MINER_KINDS)[number];

export interface RejectReason {
  readonly reason: string;
  readonly count: number;
}

export interface MinerSample {
  /** Epoch ms at which the reading was taken (our clock, not the device's). */
  readonly timestamp: number;
  readonly kind: MinerKind;
  readonly hashrateGhs: number | null;
  /** Reported by the device, or derived: frequency x smallCoreCount x asicCount / 1000. */
  readonly expectedHashrateGhs: number | null;
  /** Main chip temperature as the device reports it (AxeOS: average; NerdQAxe: maximum). */
  readonly temperatureC: number | null;
  /** Hottest chip when known (max of per-chip values, else temperatureC). */
  readonly maxChipTemperatureC: number | null;
  readonly chipTemperaturesC: readonly number[];
  readonly vrTemperatureC: number | null;
  /** Board, PCB, inlet or outlet sensors: never a chip's (DESIGN "Reading real devices"). */
  readonly boardTemperaturesC: readonly number[];
  /**
   * The chip temperature the device itself targets or calls its limit (Avalon TarT, NerdQAxe
   * overheat_temp, Antminer/Whatsminer stated limits); null when the device states none, and
   * the per-model table (temperatureLimits.ts) stands in.
   */
  readonly chipTempLimitC: number | null;
  /** The same for the voltage regulator; null when the device states none. */
  readonly vrTempLimitC: number | null;
  readonly powerW: number | null;
  readonly inputVoltageV: number | null;
  readonly currentA: number | null;
  readonly fanRpm: readonly number[];
  readonly fanPercent: number | null;
  readonly sharesAccepted: number | null;
  readonly sharesRejected: number | null;
  readonly rejectReasons: readonly RejectReason[];
  /** Best share difficulty since the device's records began (AxeOS bestDiff), as a number. */
  readonly bestDifficulty: number | null;
  /** Best share difficulty since the last boot. */
  readonly sessionBestDifficulty: number | null;
  readonly uptimeS: number | null;
  readonly poolUrl: string | null;
  readonly poolUser: string | null;
  readonly poolDifficulty: number | null;
  readonly firmware: string | null;
  readonly asicModel: string | null;
  readonly deviceModel: string | null;
  readonly hostname: string | null;
  /** Upper-case, colon-separated, e.g. "AA:BB:CC:DD:EE:FF". */
  readonly mac: string | null;
  readonly networkDifficulty: number | null;
  readonly blockHeight: number | null;
  readonly blocksFound: number | null;
  /** Why the device last rebooted, when it says (AxeOS resetReason, NerdQAxe lastResetReason). */
  readonly resetReason: string | null;
  /**
   * True while the device says hashing is paused (AxeOS v2.14+ `miningPaused`), false when it says
   * it is hashing; absent or null where it does not say.
   */
  readonly paused?: boolean | null;
  /** True for points recovered from the device's own history after a gap. */
  readonly backfilled: boolean;
  /** Fields we do not map, kept as the device sent them. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** Fields that had the wrong type or an unreadable value; reported, never fatal. */
  readonly warnings: readonly string[];
}

export interface MinerIdentity {
  readonly kind: MinerKind;
  readonly mac: string | null;
  readonly hostname: string | null;
  readonly firmware: string | null;
  readonly asicModel: string | null;
  readonly deviceModel: string | null;
}
