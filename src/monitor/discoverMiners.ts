/**
 * `Monitor.discover`: scan a range (and, when enabled, browse mDNS), report what answered as a
 * miner, and move known miners that answer at a new address (identity by MAC within a kind, only
 * when the old address no longer answers with it: identityByMac.ts). Nothing is ever added.
 */

import type { MinerKind } from '../miners/MinerSample.js';
import type { DriverRegistryLike } from './deps.js';
import { discoverHosts } from './discovery/discover.js';
import { browseMdns } from './discovery/mdns.js';
import { DiscoveryTargetError, parseScanTarget } from './discovery/parseTarget.js';
import { MonitorError } from './errors.js';
import type { Fleet } from './Fleet.js';
import { mayMoveTo } from './identityByMac.js';
import type { MinerEditor } from './MinerEditor.js';
import type { MinerManagerOptions } from './options.js';
import type { DiscoveredMiner, DiscoverProgress } from './types.js';

export interface DiscoverDeps {
  readonly drivers: DriverRegistryLike;
  readonly fleet: Pick<Fleet, 'findByMac'>;
  readonly editor: Pick<MinerEditor, 'move'>;
  readonly settings: NonNullable<MinerManagerOptions['discovery']>;
}

export async function discoverMiners(
  deps: DiscoverDeps,
  target: string,
  options: { signal?: AbortSignal; onProgress?: (progress: DiscoverProgress) => void } = {},
): Promise<DiscoveredMiner[]> {
  let hosts: readonly string[];
  try {
    hosts = parseScanTarget(target).hosts;
  } catch (error) {
    if (error instanceof DiscoveryTargetError)
      throw new MonitorError('INVALID_INPUT', error.message, { cause: error });
    throw error;
  }
  const { settings, fleet, editor } = deps;
  const knownMinerId = (mac: string, kind: MinerKind): string | null =>
    fleet.findByMac(mac, kind)?.record.id ?? null;
  const common = {
    drivers: deps.drivers,
    knownMinerId,
    ...(settings.concurrency === undefined ? {} : { concurrency: settings.concurrency }),
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const [scanned, announced] = await Promise.all([
    discoverHosts(hosts, {
      ...common,
      ...(settings.ports === undefined ? {} : { ports: settings.ports }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    }),
    settings.mdns === true
      ? browseAnnounced(common, settings.mdnsDurationMs, options.signal)
      : Promise.resolve([]),
  ]);
  const found = dedupe([...scanned, ...announced]);
  for (const miner of found) {
    if (miner.mac === null || miner.knownMinerId === null) continue;
    const entry = fleet.findByMac(miner.mac, miner.kind);
    if (entry === undefined) continue;
    const { host, port } = entry.record;
    if (host === miner.host && port === miner.port) continue;
    // Its old address answered this same scan with the MAC: two devices share it, neither moves.
    if (found.some((other) => other.host === host && other.port === port && other.mac === miner.mac))
      continue;
    const verdict = await mayMoveTo(
      deps.drivers,
      entry,
      { host: miner.host, port: miner.port, kind: miner.kind, mac: miner.mac },
      {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
      },
    );
    if (verdict.verdict === 'move') await editor.move(entry, miner.host, miner.port);
  }
  return found;
}

async function browseAnnounced(
  common: Parameters<typeof discoverHosts>[1],
  durationMs: number | undefined,
  signal: AbortSignal | undefined,
): Promise<DiscoveredMiner[]> {
  const services = await browseMdns({
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(signal === undefined ? {} : { signal }),
  });
  const results = await Promise.all(
    services.map((service) =>
      discoverHosts([service.host], { ...common, ports: [service.port] }).catch(() => []),
    ),
  );
  return results.flat();
}

function dedupe(list: DiscoveredMiner[]): DiscoveredMiner[] {
  const seen = new Set<string>();
  return list.filter((miner) => {
    const key = `${miner.host}:${miner.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
