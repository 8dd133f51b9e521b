/** What the manager holds per miner, and the view the server shows of it. */
import type { MinerKind, MinerSample } from '../miners/MinerSample.js';
import type { MinerRecord } from '../storage/Storage.js';
import { initialPolicyState, type PolicyState } from './statusPolicy.js';
import type { BreakerSummary, MinerView, RestartStatus } from './types.js';

/** A restart we sent and are waiting to see happen. */
export interface RestartWatch {
  readonly requestedAt: number;
  readonly deadline: number;
  /** Uptime from the last sample before the command, when known. */
  readonly uptimeBeforeS: number | null;
}

export interface MinerEntry {
  record: MinerRecord;
  policy: PolicyState;
  lastSample: MinerSample | null;
  lastSeenAt: number | null;
  lastPollAt: number | null;
  lastError: string | null;
  restart: RestartStatus | null;
  restartWatch: RestartWatch | null;
  lastRestartAt: number | null;
  /** Set at load: the first answer after the monitor starts checks for a gap to backfill. */
  checkGap: boolean;
}

/** A miner as the monitor first holds it: nothing seen yet, and a gap check due on its first answer. */
export function newEntry(record: MinerRecord, allTimeBest: number | null): MinerEntry {
  return {
    record,
    policy: initialPolicyState(allTimeBest),
    lastSample: null,
    lastSeenAt: null,
    lastPollAt: null,
    lastError: null,
    restart: null,
    restartWatch: null,
    lastRestartAt: null,
    checkGap: true,
  };
}

export function breakerName(minerId: string): string {
  return `miner_operations:${minerId}`;
}

export function addressKey(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}

export function effectiveInterval(record: MinerRecord, defaultIntervalMs: number): number {
  return record.intervalMs ?? defaultIntervalMs;
}

export function toView(
  entry: MinerEntry,
  defaultIntervalMs: number,
  breaker: BreakerSummary | null,
): MinerView {
  const { record, policy } = entry;
  return {
    id: record.id,
    name: record.name,
    host: record.host,
    port: record.port,
    kind: record.kind as MinerKind,
    mac: record.mac,
    hostname: record.hostname,
    enabled: record.enabled,
    intervalMs: effectiveInterval(record, defaultIntervalMs),
    status: record.enabled ? policy.status : 'disabled',
    statusReason: record.enabled ? policy.reason : 'polling is disabled',
    lastSeenAt: entry.lastSeenAt,
    lastPollAt: entry.lastPollAt,
    lastError: entry.lastError,
    lastSample: entry.lastSample,
    breaker,
    bestDifficulty: policy.allTimeBest,
    restart: entry.restart,
    createdAt: record.createdAt,
  };
}
