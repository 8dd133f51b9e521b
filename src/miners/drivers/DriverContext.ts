/** What every driver is built with, and how a driver recognises its own device in a probe. */
import type { Clock } from '../../resilience/index.js';
import type { CgminerClient } from '../cgminer/CgminerClient.js';
import { basicAuthorization } from '../http/basicAuth.js';
import type { HttpClient } from '../http/HttpClient.js';
import type { RequestOptions } from '../http/HttpSessionManager.js';
import type { CallOptions, MinerDriver, MinerEndpoint } from '../MinerDriver.js';
import type { MinerIdentity } from '../MinerSample.js';

export interface DriverContext {
  readonly http: HttpClient;
  readonly cgminer: CgminerClient;
  readonly clock: Clock;
}

/** Options a detection probe passes down (a call's options). */
export type ProbeOptions = CallOptions;

/**
 * One question asked of an unknown endpoint. Drivers that share a probe (AxeOS and NerdQAxe both
 * answer /api/system/info) share its name, so the registry asks it once per port.
 */
export interface Probe {
  readonly name: string;
  /** Ports to ask on, given the endpoint (port 0 means "unknown"). */
  ports(endpoint: MinerEndpoint): number[];
  ask(endpoint: MinerEndpoint, options: ProbeOptions): Promise<unknown>;
}

export interface Recognition {
  readonly identity: MinerIdentity;
  /** Higher wins when several drivers claim one answer (a fork outranks its parent). */
  readonly score: number;
}

export interface RecognizingDriver extends MinerDriver {
  readonly probe: Probe;
  /** Whether the probe's answer comes from this kind of device; null when it does not. */
  recognize(answer: unknown): Recognition | null;
}

/** The endpoint's port, or the driver's default when it is 0. */
export function portOf(endpoint: MinerEndpoint, defaultPort: number): number {
  return endpoint.port > 0 ? endpoint.port : defaultPort;
}

/** `http://host:port` with IPv6 hosts bracketed. */
export function httpOrigin(host: string, port: number): string {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${bracketed}:${port}`;
}

/**
 * A call's options for the HTTP client, with the miner's Basic login when its endpoint has one:
 * a device that asks for it refuses every request without it (polls, probes, control alike).
 */
export function requestOptions(
  options: ProbeOptions | undefined,
  endpoint?: Pick<MinerEndpoint, 'credentials'>,
): RequestOptions {
  const credentials = endpoint?.credentials;
  return {
    ...(options?.signal === undefined ? {} : { signal: options.signal }),
    ...(options?.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options?.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(credentials === undefined ? {} : { headers: { authorization: basicAuthorization(credentials) } }),
  };
}
