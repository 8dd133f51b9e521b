/** What the monitor holds per miner, and the view the server shows of it. */
import type { MinerEndpoint } from '../miners/MinerDriver.js';
import type { MinerKind, MinerSample } from '../miners/MinerSample.js';
import { type MinerRecord, usableCredentials } from '../storage/Storage.js';
import { initialMinerState, type MinerState } from './state/MinerState.js';
import type { BreakerSummary, MinerView } from './types.js';

export interface MinerEntry {
  record: MinerRecord;
  /** Written only by Transitions.apply, with what `reduce` returned. */
  state: MinerState;
  lastSample: MinerSample | null;
  lastSeenAt: number | null;
  lastPollAt: number | null;
  lastError: string | null;
  /** Set at load: the first answer after the monitor starts checks for a gap to backfill. */
  checkGap: boolean;
}

/** A miner as the monitor first holds it: nothing seen yet, and a gap check due on its first answer. */
export function newEntry(record: MinerRecord, allTimeBest: number | null): MinerEntry {
  return {
    record,
    state: initialMinerState(record.id, allTimeBest),
    lastSample: null,
    lastSeenAt: null,
    lastPollAt: null,
    lastError: null,
    checkGap: true,
  };
}

export function breakerName(minerId: string): string {
  return `miner_operations:${minerId}`;
}

export function addressKey(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}

/** Where and how to reach the miner: every device call (poll, restart, control) starts here. */
export function endpointOf(record: MinerRecord): MinerEndpoint {
  const credentials = usableCredentials(record);
  return {
    host: record.host,
    port: record.port,
    id: record.id,
    ...(credentials === undefined ? {} : { credentials }),
  };
}

export function effectiveInterval(record: MinerRecord, defaultIntervalMs: number): number {
  return record.intervalMs ?? defaultIntervalMs;
}

export function toView(
  entry: MinerEntry,
  defaultIntervalMs: number,
  breaker: BreakerSummary | null,
): MinerView {
  const { record, state } = entry;
  return {
    id: record.id,
    name: record.name,
    host: record.host,
    port: record.port,
    kind: record.kind as MinerKind,
    mac: record.mac,
    hostname: record.hostname,
    enabled: record.enabled,
    tags: record.tags,
    hasCredentials: record.credentials !== null,
    intervalMs: effectiveInterval(record, defaultIntervalMs),
    status: record.enabled ? state.status : 'disabled',
    statusReason: record.enabled ? state.reason : 'polling is disabled',
    lastSeenAt: entry.lastSeenAt,
    lastPollAt: entry.lastPollAt,
    lastError: entry.lastError,
    lastSample: entry.lastSample,
    breaker,
    bestDifficulty: state.allTimeBest,
    restart: state.restart,
    createdAt: record.createdAt,
  };
}
