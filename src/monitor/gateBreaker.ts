/**
 * Which breaker gates a miner. A poll passes two: the monitor's `miner_operations:<id>` and the
 * transport's per-address one (`http_requests:<origin>`, `cgminer:<host>:<port>`). A refusal by
 * the transport breaker is no failure the monitor's breaker counts, so when a device dies the
 * transport one can open alone (or stay open after the monitor's was reset); what the dashboard
 * shows and what a restart checks must then be the worse of the two.
 */
import { CgminerClient } from '../miners/cgminer/CgminerClient.js';
import { CGMINER_PORT } from '../miners/drivers/cgminer.js';
import { HttpSessionManager } from '../miners/http/HttpSessionManager.js';
import type { MinerKind } from '../miners/MinerSample.js';
import type { CircuitBreaker, RetryManager } from '../resilience/index.js';
import { breakerName } from './MinerEntry.js';
import type { BreakerSummary } from './types.js';

type NameOf = (host: string, port: number) => string;

/** The origin exactly as the HTTP session manager keys it (`new URL(...).origin`: port 80 dropped). */
function httpBreaker(defaultPort: number): NameOf {
  return (host, port) => {
    const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    const origin = new URL(`http://${bracketed}:${port > 0 ? port : defaultPort}`).origin;
    return HttpSessionManager.breakerName(origin);
  };
}

/** Per kind, the transport breaker its driver's calls go through; typed so a new kind must say. */
const TRANSPORT_BREAKERS: Readonly<Record<MinerKind, NameOf>> = Object.freeze({
  axeos: httpBreaker(80),
  nerdqaxe: httpBreaker(80),
  cgminer: (host, port) => CgminerClient.breakerName({ host, port: port > 0 ? port : CGMINER_PORT }),
});

/** The transport breaker's name for a miner, or null for a kind without a known transport. */
export function transportBreakerName(kind: string, host: string, port: number): string | null {
  const nameOf = Object.hasOwn(TRANSPORT_BREAKERS, kind) ? TRANSPORT_BREAKERS[kind as MinerKind] : undefined;
  if (nameOf === undefined) return null;
  try {
    return nameOf(host, port);
  } catch {
    // A host the URL parser refuses never reached the transport either.
    return null;
  }
}

const RANK = { closed: 0, half_open: 1, open: 2 } as const;

function summary(breaker: CircuitBreaker): BreakerSummary {
  const stats = breaker.stats();
  return {
    name: stats.name,
    state: stats.state,
    failureCount: stats.failureCount,
    nextAttemptAt: stats.nextAttemptAt,
  };
}

/** The worse of two breaker summaries: open > half_open > closed. */
export function worseBreaker(a: BreakerSummary, b: BreakerSummary): BreakerSummary {
  if (RANK[a.state] !== RANK[b.state]) return RANK[a.state] > RANK[b.state] ? a : b;
  // Both open: the miner stays gated until the later of the two lets a trial through.
  if (a.state === 'open') return (b.nextAttemptAt ?? 0) > (a.nextAttemptAt ?? 0) ? b : a;
  return b.failureCount > a.failureCount ? b : a;
}

/**
 * The breaker that gates a miner now: the worse of its monitor and transport breakers (the
 * monitor's on a tie), or null when neither exists yet. Reads the registry, creates nothing.
 */
export function gateBreaker(
  manager: RetryManager,
  monitorBreaker: string,
  transportBreaker: string | null,
): BreakerSummary | null {
  const own = manager.has(monitorBreaker) ? summary(manager.getCircuitBreaker(monitorBreaker)) : null;
  const transport =
    transportBreaker !== null && manager.has(transportBreaker)
      ? summary(manager.getCircuitBreaker(transportBreaker))
      : null;
  if (own === null) return transport;
  if (transport === null) return own;
  return worseBreaker(own, transport);
}

/** The breaker that gates miner `id` (see gateBreaker); `record` names its transport, when known. */
export function minerGateBreaker(
  manager: RetryManager,
  id: string,
  record: { readonly kind: string; readonly host: string; readonly port: number } | undefined,
): BreakerSummary | null {
  const transport = record === undefined ? null : transportBreakerName(record.kind, record.host, record.port);
  return gateBreaker(manager, breakerName(id), transport);
}
