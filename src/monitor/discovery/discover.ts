/**
 * Scans hosts for miners with bounded concurrency and short timeouts. Only what answers as a
 * miner is returned; nothing is ever added. Each probe is a single attempt with no breaker:
 * thousands of empty addresses must not fill the breaker registry.
 */
import type { MinerIdentity, MinerKind } from '../../miners/MinerSample.js';
import type { DriverRegistryLike } from '../deps.js';
import type { DiscoveredMiner, DiscoverProgress } from '../types.js';

export interface DiscoverOptions {
  readonly drivers: DriverRegistryLike;
  /** Ports to try on each host. @default the drivers' default ports */
  readonly ports?: readonly number[];
  /** Probes at once. @default 64 */
  readonly concurrency?: number;
  /** Per probe. @default 1500 */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DiscoverProgress) => void;
  /** Our miner id for a device of this MAC and kind, when we know it. */
  readonly knownMinerId?: (mac: string, kind: MinerKind) => string | null;
}

export function defaultPorts(drivers: DriverRegistryLike): number[] {
  return [...new Set(drivers.list().map((driver) => driver.defaultPort))];
}

export async function discoverHosts(
  hosts: readonly string[],
  options: DiscoverOptions,
): Promise<DiscoveredMiner[]> {
  const ports = options.ports ?? defaultPorts(options.drivers);
  const concurrency = options.concurrency ?? 64;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`Expected \`concurrency\` to be a positive integer, got ${String(concurrency)}`);
  }
  const timeoutMs = options.timeoutMs ?? 1500;
  const total = hosts.length;
  const found: DiscoveredMiner[] = [];
  let scanned = 0;
  let next = 0;

  const probeHost = async (host: string): Promise<void> => {
    for (const port of ports) {
      if (options.signal?.aborted) return;
      const hit = await probe(host, port);
      if (hit !== null) {
        found.push(hit);
        return;
      }
    }
  };

  const probe = async (host: string, port: number): Promise<DiscoveredMiner | null> => {
    try {
      const { driver, identity } = await options.drivers.detect(
        { host, port },
        { timeoutMs, maxAttempts: 1, ...(options.signal === undefined ? {} : { signal: options.signal }) },
      );
      return toDiscovered(host, port || driver.defaultPort, identity, options.knownMinerId);
    } catch {
      // Nothing there, or something that is not a miner: both mean "not found" to a scan.
      return null;
    }
  };

  const worker = async (): Promise<void> => {
    while (next < hosts.length && !options.signal?.aborted) {
      const host = hosts[next] as string;
      next += 1;
      await probeHost(host);
      scanned += 1;
      options.onProgress?.({ scanned, total, found: found.length });
    }
  };

  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, hosts.length)) }, worker));
  if (options.signal?.aborted) throw options.signal.reason;
  return sortByAddress(found);
}

export function toDiscovered(
  host: string,
  port: number,
  identity: MinerIdentity,
  knownMinerId?: (mac: string, kind: MinerKind) => string | null,
): DiscoveredMiner {
  return {
    host,
    port,
    kind: identity.kind,
    mac: identity.mac,
    hostname: identity.hostname,
    firmware: identity.firmware,
    knownMinerId:
      identity.mac === null || knownMinerId === undefined ? null : knownMinerId(identity.mac, identity.kind),
  };
}

function sortByAddress(list: DiscoveredMiner[]): DiscoveredMiner[] {
  const key = (host: string): string =>
    host
      .split('.')
      .map((part) => part.padStart(3, '0'))
      .join('.');
  return list.sort((a, b) => key(a.host).localeCompare(key(b.host)) || a.port - b.port);
}
