/**
 * The drivers by kind, and detection of an unknown endpoint. Detection asks each probe once per
 * port (drivers that share a probe share its answer) and lets every driver judge the answer; the
 * surest claim wins. No driver is named here beyond the default set.
 */
import {
  type Clock,
  isHttpStatusError,
  MinerConnectionError,
  systemClock,
  ValidationError,
} from '../resilience/index.js';
import { CgminerClient, type CgminerClientOptions } from './cgminer/CgminerClient.js';
import { createAxeosDriver } from './drivers/axeos.js';
import { createCgminerDriver } from './drivers/cgminer.js';
import type { DriverContext, ProbeOptions, RecognizingDriver } from './drivers/DriverContext.js';
import { createNerdQaxeDriver } from './drivers/nerdqaxe.js';
import { createWhatsminerDriver } from './drivers/whatsminer.js';
import { isMinerError, NotAMinerError } from './errors.js';
import { type BasicAuth, HttpClient } from './http/HttpClient.js';
import { HttpSessionManager, type HttpSessionOptions } from './http/HttpSessionManager.js';
import type { CallOptions, MinerDriver, MinerEndpoint } from './MinerDriver.js';
import type { MinerIdentity, MinerKind } from './MinerSample.js';

export interface DetectOptions extends CallOptions {
  /** A known kind is checked with that driver alone. @default 'auto' */
  readonly kind?: MinerKind | 'auto';
}

export interface DetectResult {
  readonly driver: MinerDriver;
  readonly identity: MinerIdentity;
}

export interface DriverRegistryOptions {
  /** A shared HTTP session manager (not closed by the registry). */
  readonly sessionManager?: HttpSessionManager;
  /** Options of the session manager the registry creates when none is given. */
  readonly http?: Omit<HttpSessionOptions, 'clock' | 'random'>;
  /** A shared cgminer client (not closed by the registry), or options for the one it creates. */
  readonly cgminer?: CgminerClient | Omit<CgminerClientOptions, 'clock' | 'random'>;
  /** Basic auth sent to HTTP miners. */
  readonly auth?: BasicAuth;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: () => number;
  /** The drivers, in probe order. @default axeos, nerdqaxe, cgminer, whatsminer */
  readonly drivers?: (context: DriverContext) => readonly RecognizingDriver[];
}

export interface DriverRegistry {
  readonly context: DriverContext;
  get(kind: MinerKind): MinerDriver | undefined;
  list(): readonly MinerDriver[];
  /**
   * Which driver speaks at the endpoint. Rejects with MinerConnectionError / MinerTimeoutError
   * when nothing answers, NotAMinerError when something answers that is not a miner.
   */
  detect(endpoint: MinerEndpoint, options?: DetectOptions): Promise<DetectResult>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export function defaultDrivers(context: DriverContext): RecognizingDriver[] {
  return [
    createAxeosDriver(context),
    createNerdQaxeDriver(context),
    createCgminerDriver(context),
    createWhatsminerDriver(context),
  ];
}

/** An answer that proves something is listening, even if it is not a miner. */
function isAnswer(error: unknown): boolean {
  if (isMinerError(error)) return true;
  return isHttpStatusError(error) && error.status < 500 && error.status !== 408 && error.status !== 429;
}

export function createDriverRegistry(options: DriverRegistryOptions = {}): DriverRegistry {
  const clock = options.clock ?? systemClock;
  const shared = {
    clock,
    ...(options.random === undefined ? {} : { random: options.random }),
  };
  const sessionManager = options.sessionManager ?? new HttpSessionManager({ ...options.http, ...shared });
  const cgminer =
    options.cgminer instanceof CgminerClient
      ? options.cgminer
      : new CgminerClient({ ...options.cgminer, ...shared });
  const http = new HttpClient({
    sessionManager,
    ...(options.auth === undefined ? {} : { auth: options.auth }),
  });
  const context: DriverContext = { http, cgminer, clock };
  const drivers = [...(options.drivers ?? defaultDrivers)(context)];
  const byKind = new Map<MinerKind, RecognizingDriver>();
  for (const driver of drivers) {
    if (byKind.has(driver.kind))
      throw new ValidationError(`Two drivers for kind "${driver.kind}"`, { field: 'drivers' });
    byKind.set(driver.kind, driver);
  }

  const detectAuto = async (endpoint: MinerEndpoint, probeOptions: ProbeOptions): Promise<DetectResult> => {
    const answered: string[] = [];
    let silence: unknown;
    // A 401 says "log in first": worth more than "not a miner" when nothing else recognizes it.
    let loginAsked: unknown;
    const probes = new Map<string, RecognizingDriver[]>();
    for (const driver of drivers)
      probes.set(driver.probe.name, [...(probes.get(driver.probe.name) ?? []), driver]);
    for (const group of probes.values()) {
      const probe = (group[0] as RecognizingDriver).probe;
      for (const port of probe.ports(endpoint)) {
        const at = { ...endpoint, port };
        let answer: unknown;
        try {
          answer = await probe.ask(at, probeOptions);
        } catch (error) {
          if (probeOptions.signal?.aborted) throw error;
          if (isHttpStatusError(error) && error.status === 401) loginAsked ??= error;
          if (isAnswer(error)) answered.push(`${probe.name} on port ${port}: ${(error as Error).message}`);
          else silence ??= error;
          continue;
        }
        let best: DetectResult | undefined;
        let bestScore = 0;
        for (const driver of group) {
          const claim = driver.recognize(answer);
          if (claim !== null && claim.score > bestScore) {
            best = { driver, identity: claim.identity };
            bestScore = claim.score;
          }
        }
        if (best !== undefined) return best;
        answered.push(`${probe.name} on port ${port}: answered, but not as a miner`);
      }
    }
    if (loginAsked !== undefined) throw loginAsked;
    if (answered.length > 0) {
      throw new NotAMinerError(`${endpoint.host} answers, but not as a miner (${answered.join('; ')})`, {
        target: endpoint.host,
      });
    }
    throw (
      silence ?? new MinerConnectionError(`${endpoint.host}: nothing answered`, { target: endpoint.host })
    );
  };

  const detect = async (
    endpoint: MinerEndpoint,
    detectOptions: DetectOptions = {},
  ): Promise<DetectResult> => {
    if (typeof endpoint?.host !== 'string' || endpoint.host === '') {
      throw new ValidationError('Expected an endpoint with a host', { field: 'host' });
    }
    if (!Number.isInteger(endpoint.port) || endpoint.port < 0 || endpoint.port > 65535) {
      throw new ValidationError(`Expected \`port\` to be an integer in [0, 65535], got ${endpoint.port}`, {
        field: 'port',
      });
    }
    const { kind = 'auto', ...call } = detectOptions;
    const probeOptions: ProbeOptions = call;
    if (kind === 'auto') return detectAuto(endpoint, probeOptions);
    const driver = byKind.get(kind);
    if (driver === undefined) throw new ValidationError(`No driver for kind "${kind}"`, { field: 'kind' });
    const identity = await driver.detect(endpoint, probeOptions);
    if (identity === null) {
      throw new NotAMinerError(
        `${endpoint.host}:${endpoint.port || driver.defaultPort} does not answer as ${kind}`,
        {
          target: endpoint.host,
        },
      );
    }
    return { driver, identity };
  };

  const close = async (): Promise<void> => {
    if (options.sessionManager === undefined) await sessionManager.close();
    if (!(options.cgminer instanceof CgminerClient)) await cgminer.close();
  };

  return {
    context,
    get: (kind) => byKind.get(kind),
    list: () => [...drivers],
    detect,
    close,
    [Symbol.asyncDispose]: close,
  };
}
