/**
 * A scriptable driver and registry for the monitor's unit tests: each endpoint answers from a
 * function the test controls (a sample, an error, or a promise that never settles).
 */
import type {
  CallOptions,
  HistoryPoint,
  MinerDriver,
  MinerEndpoint,
  RestartResult,
} from '../../miners/MinerDriver.js';
import type { MinerIdentity, MinerKind, MinerSample } from '../../miners/MinerSample.js';
import { MinerConnectionError } from '../../resilience/index.js';
import type { DetectResult, DriverRegistryLike } from '../deps.js';

export function makeSample(overrides: Partial<MinerSample> = {}): MinerSample {
  return {
    timestamp: 0,
    kind: 'axeos',
    hashrateGhs: 1000,
    expectedHashrateGhs: 1000,
    temperatureC: 55,
    maxChipTemperatureC: 55,
    chipTemperaturesC: [55],
    vrTemperatureC: 60,
    boardTemperaturesC: [],
    chipTempLimitC: null,
    vrTempLimitC: null,
    powerW: 15,
    inputVoltageV: 5,
    currentA: 3,
    fanRpm: [4000],
    fanPercent: 60,
    sharesAccepted: 1000,
    sharesRejected: 5,
    rejectReasons: [],
    bestDifficulty: 1e9,
    sessionBestDifficulty: 1e8,
    uptimeS: 3600,
    poolUrl: 'stratum+tcp://solo.ckpool.org:3333',
    poolUser: 'bc1qexample.worker',
    poolDifficulty: 1000,
    firmware: 'v2.12.0',
    asicModel: 'BM1370',
    deviceModel: 'Gamma',
    hostname: 'bitaxe',
    mac: 'AA:BB:CC:DD:EE:01',
    networkDifficulty: 1.2e14,
    blockHeight: 900_000,
    blocksFound: null,
    resetReason: null,
    backfilled: false,
    raw: {},
    warnings: [],
    ...overrides,
  };
}

export type Behaviour = (
  endpoint: MinerEndpoint,
  options: CallOptions | undefined,
) => Promise<MinerSample> | MinerSample;

export class FakeDriver implements MinerDriver {
  readonly kind: MinerKind;
  readonly defaultPort: number;
  readonly behaviours = new Map<string, Behaviour>();
  readonly calls: { endpoint: MinerEndpoint; options: CallOptions | undefined; at: number }[] = [];
  restartBehaviour: (endpoint: MinerEndpoint) => Promise<RestartResult> = async () => ({
    accepted: true,
    detail: 'ok',
  });
  restartCalls = 0;
  history: HistoryPoint[] = [];
  now: () => number = () => 0;

  constructor(kind: MinerKind = 'axeos', defaultPort = 80) {
    this.kind = kind;
    this.defaultPort = defaultPort;
  }

  on(host: string, behaviour: Behaviour): this {
    this.behaviours.set(host, behaviour);
    return this;
  }

  async detect(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerIdentity | null> {
    try {
      return await this.readIdentity(endpoint, options);
    } catch {
      return null;
    }
  }

  async readSample(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerSample> {
    this.calls.push({ endpoint, options, at: this.now() });
    const behaviour = this.behaviours.get(endpoint.host);
    if (behaviour === undefined) {
      throw new MinerConnectionError(`connect ECONNREFUSED ${endpoint.host}:${endpoint.port}`, {
        target: endpoint.host,
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    }
    const sample = await behaviour(endpoint, options);
    return sample.timestamp === 0 ? { ...sample, timestamp: this.now() } : sample;
  }

  async readIdentity(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerIdentity> {
    const sample = await this.readSample(endpoint, options);
    return {
      kind: this.kind,
      mac: sample.mac,
      hostname: sample.hostname,
      firmware: sample.firmware,
      asicModel: sample.asicModel,
      deviceModel: sample.deviceModel,
    };
  }

  async restart(endpoint: MinerEndpoint): Promise<RestartResult> {
    this.restartCalls += 1;
    return this.restartBehaviour(endpoint);
  }

  async readHistory(): Promise<HistoryPoint[]> {
    return this.history;
  }
}

export class NotAMinerError extends Error {
  override readonly name = 'NotAMinerError';
  readonly code = 'NOT_A_MINER';
}

export class FakeRegistry implements DriverRegistryLike {
  readonly drivers: FakeDriver[];

  constructor(...drivers: FakeDriver[]) {
    this.drivers = drivers;
  }

  get(kind: MinerKind): MinerDriver | undefined {
    return this.drivers.find((driver) => driver.kind === kind);
  }

  list(): readonly MinerDriver[] {
    return this.drivers;
  }

  async detect(endpoint: MinerEndpoint, options?: CallOptions): Promise<DetectResult> {
    let lastError: unknown = new NotAMinerError(`${endpoint.host} is not a miner`);
    for (const driver of this.drivers) {
      if (driver.defaultPort !== endpoint.port && !driver.behaviours.has(endpoint.host)) continue;
      try {
        return { driver, identity: await driver.readIdentity(endpoint, options) };
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }
}
