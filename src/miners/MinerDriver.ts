import type { DriverControl } from './control/DriverControl.js';
import type { MinerIdentity, MinerKind, MinerSample } from './MinerSample.js';

/** Where a miner answers. `port` is the HTTP port (AxeOS, NerdQAxe) or the cgminer API port. */
export interface MinerEndpoint {
  readonly host: string;
  readonly port: number;
  /** Used to key per-target breakers (`miner_operations:<id>`); the endpoint when unknown. */
  readonly id?: string;
  /** The miner's own credentials (HTTP Basic for AxeOS builds that ask); never logged. */
  readonly credentials?: { readonly username: string; readonly password: string };
}

export interface RestartResult {
  /** True when the device acknowledged, or the connection dropped after the command was sent. */
  readonly accepted: boolean;
  readonly detail: string;
}

export interface HistoryPoint {
  readonly timestamp: number;
  readonly values: Readonly<Record<string, number>>;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Total time for one request. @default 5000 */
  readonly timeoutMs?: number;
  /**
   * Attempts at the transport level (retryHttpRequest / cgminer retry). Polls pass 1 or 2 so a
   * dead miner is backed off by its breaker instead of hammered; `addMiner` verification uses more.
   */
  readonly maxAttempts?: number;
}

/** One device family. Implementations are registered in the driver registry, never if-chained. */
export interface MinerDriver {
  readonly kind: MinerKind;
  readonly defaultPort: number;
  /** True when the endpoint answers as this kind of miner; never throws for "not this kind". */
  detect(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerIdentity | null>;
  readSample(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerSample>;
  readIdentity(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerIdentity>;
  /** Sends the restart once; see RestartResult. */
  restart(endpoint: MinerEndpoint, options?: CallOptions): Promise<RestartResult>;
  /** The device's own history since boot, converted to epoch ms (AxeOS v2.8+); [] when it has none. */
  readHistory?(endpoint: MinerEndpoint, options?: CallOptions): Promise<HistoryPoint[]>;
  /** Settings, pause/resume and identify, where the family offers them (see src/monitor/control). */
  readonly control?: DriverControl;
}
