/** Options of a `ClusterMember`: who this instance is and how long a lease lasts. */
import { hostname } from 'node:os';

export interface ClusterOptions {
  /** This instance's name in the `instances` table. @default `<hostname>-<pid>-<random>` */
  readonly instanceId?: string;
  /** Where this instance's API answers, shown to the others and in GET /api/instances. @default null */
  readonly url?: string | null;
  /**
   * How long a lease (and a heartbeat) stays valid without renewal: a dead instance's miners are
   * polled again by another within twice this. @default 15000
   */
  readonly leaseMs?: number;
}

export interface ResolvedClusterOptions {
  readonly instanceId: string;
  readonly url: string | null;
  readonly leaseMs: number;
  /** Heartbeat, renewals, claims and offers run this often: a third of the lease. */
  readonly tickMs: number;
  /**
   * The live view (status, last sample) of the miners an instance polls reaches the others this
   * often: a second, as the dashboard's live stream, or the tick when that is shorter.
   */
  readonly liveMs: number;
}

export const DEFAULT_LEASE_MS = 15_000;
/** How often the live view is shared at most (see `liveMs`). */
const LIVE_MS = 1000;
/** Below this a lease would need a tick faster than a busy database answers. */
export const MIN_LEASE_MS = 300;

export function defaultInstanceId(random: () => number = Math.random): string {
  return `${hostname()}-${process.pid}-${Math.floor(random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;
}

export function resolveClusterOptions(options: ClusterOptions = {}): ResolvedClusterOptions {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  if (typeof leaseMs !== 'number' || !Number.isSafeInteger(leaseMs) || leaseMs < MIN_LEASE_MS) {
    throw new RangeError(`Expected \`leaseMs\` to be an integer >= ${MIN_LEASE_MS}, got ${String(leaseMs)}`);
  }
  const instanceId = options.instanceId ?? defaultInstanceId();
  if (typeof instanceId !== 'string' || !/^[\w.:-]{1,100}$/.test(instanceId)) {
    throw new TypeError(
      `Expected \`instanceId\` to be 1 to 100 letters, digits, '.', ':', '_' or '-', got ${JSON.stringify(instanceId)}`,
    );
  }
  const tickMs = Math.floor(leaseMs / 3);
  return { instanceId, url: options.url ?? null, leaseMs, tickMs, liveMs: Math.min(LIVE_MS, tickMs) };
}
