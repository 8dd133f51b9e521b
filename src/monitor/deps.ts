/**
 * What the monitor needs from the miners layer, structurally, so unit tests pass small fakes and
 * the real registry fits without an adapter.
 */
import type { CallOptions, MinerDriver, MinerEndpoint } from '../miners/MinerDriver.js';
import type { MinerIdentity, MinerKind } from '../miners/MinerSample.js';

export interface DetectResult {
  readonly driver: MinerDriver;
  readonly identity: MinerIdentity;
}

export interface DriverRegistryLike {
  get(kind: MinerKind): MinerDriver | undefined;
  list(): readonly MinerDriver[];
  /**
   * Finds which driver speaks at the endpoint. Rejects with a connection or timeout error when
   * nothing answers, and with a "not a miner" error when something answers that is not a miner.
   */
  detect(endpoint: MinerEndpoint, options?: CallOptions): Promise<DetectResult>;
}
