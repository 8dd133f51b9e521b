/** MinerManager's options: everything it needs is passed in; every default is written once here. */
import type { CircuitBreakerConfig, RetryManager } from '../resilience/index.js';
import type { Storage } from '../storage/Storage.js';
import type { DriverRegistryLike } from './deps.js';
import type { HttpSend } from './notifiers/httpSend.js';
import type { Notifier } from './notifiers/Notifier.js';
import type { NotifierConfig } from './notifiers/registry.js';
import type { QuietHoursConfig } from './notifiers/routing.js';
import type { JsonGetter } from './odds/NetworkDifficulty.js';
import type { PowSettings, WatchdogSettings } from './state/settings.js';
import type { StatusThresholds } from './thresholds.js';
import type { MonitorClock, MonitorTimers } from './timers.js';

export interface MinerManagerOptions {
  readonly storage: Storage;
  readonly drivers: DriverRegistryLike;
  /** Where per-miner (`miner_operations:<id>`) and notifier breakers live. @default the global retryManager */
  readonly retryManager?: RetryManager;
  /**
   * Time and timers. A bare clock (`now`, `sleep`), such as the resilience FakeClock, is enough:
   * timers are built on its `sleep`. @default real time
   */
  readonly clock?: MonitorClock | MonitorTimers;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default 10000 */
  readonly defaultIntervalMs?: number;
  /**
   * Polls in flight across the fleet. It must exceed poll rate x answer time (10,000 miners at
   * 10 s answering in 200 ms need 200, plus room for the process's own delays), or polls queue
   * and start late: at 256 that fleet's p99 lateness was 3.2 s, at 512 140 ms
   * (docs/bench/monitor.md). Each poll in flight holds a socket. @default 512
   */
  readonly maxConcurrentPolls?: number;
  /**
   * Which miners this monitor polls; the others are left to another instance sharing the fleet
   * (src/monitor/cluster/ gives the lease check). @default every miner
   */
  readonly owns?: (minerId: string) => boolean;
  /** Spacing jitter, a share of the interval. @default 0.1 */
  readonly jitterRatio?: number;
  /** Per poll request. @default 5000 */
  readonly pollTimeoutMs?: number;
  /** Transport attempts per poll (a dead miner is backed off by its breaker instead). @default 1 */
  readonly pollMaxAttempts?: number;
  /** Config of each miner's breaker. @default 5 failures, 60 s recovery, 1 trial success */
  readonly breaker?: Partial<CircuitBreakerConfig>;
  readonly thresholds?: Partial<StatusThresholds>;
  /** Proof-of-work health (shares against reported hashrate); see state/settings.ts. */
  readonly powHealth?: Partial<PowSettings>;
  /** Restarts unwell miners; off unless `enabled`. See state/settings.ts. */
  readonly watchdog?: Partial<WatchdogSettings>;
  /** Verification when adding a miner (through `retryMinerOperation`). */
  readonly verify?: {
    /** @default 3 */
    readonly maxAttempts?: number;
    /** @default 1000 */
    readonly baseDelayMs?: number;
    /** Per request. @default 5000 */
    readonly timeoutMs?: number;
  };
  readonly restart?: {
    /** A second restart sooner than this is refused. @default 300000 */
    readonly cooldownMs?: number;
    /** How long to watch for the uptime to reset. @default 120000 */
    readonly confirmTimeoutMs?: number;
    /** Poll spacing while watching. @default 2000 */
    readonly confirmPollMs?: number;
    /** Sends of the command when the connection failed before anything was sent. @default 3 */
    readonly maxSendAttempts?: number;
  };
  readonly alerts?: {
    /** @default 14400000 */
    readonly reminderIntervalMs?: number;
    /** @default 300000 */
    readonly clearAfterMs?: number;
    /** @default 900000 */
    readonly instantCooldownMs?: number;
  };
  /** Notification channels, as configuration or ready notifiers. @default [] */
  readonly notifiers?: readonly (NotifierConfig | Notifier)[];
  /** Hours during which only alerts at or above a severity (critical) are sent. @default none */
  readonly quietHours?: QuietHoursConfig;
  /** How notifications are sent. @default the drivers' shared HttpClient, else fetch */
  readonly notificationSend?: HttpSend;
  /** Network difficulty from configuration, used when no miner reports one. */
  readonly networkDifficulty?: number;
  /** Optional mempool-compatible API for the difficulty. Off unless given. */
  readonly difficultyApi?: {
    readonly baseUrl: string;
    readonly getJson?: JsonGetter;
    readonly refreshMs?: number;
  };
  /** A stored-sample gap longer than this many intervals is backfilled from the device. @default 3 */
  readonly backfillAfterIntervals?: number;
  readonly discovery?: {
    /** @default the drivers' default ports */
    readonly ports?: readonly number[];
    /** @default 64 */
    readonly concurrency?: number;
    /** @default 1500 */
    readonly timeoutMs?: number;
    /** Also browse mDNS for `_axeos._sub._http._tcp`. @default false */
    readonly mdns?: boolean;
    /** @default 2000 */
    readonly mdnsDurationMs?: number;
  };
  /** Time `stop()` lets polls in flight finish before aborting them. @default 10000 */
  readonly stopGraceMs?: number;
  /** @default crypto.randomUUID */
  readonly idGenerator?: () => string;
}

/** See `maxConcurrentPolls`. */
export const DEFAULT_MAX_CONCURRENT_POLLS = 512;

export const DEFAULT_POLL_TIMEOUT_MS = 5000;
export const DEFAULT_RESTART_COOLDOWN_MS = 300_000;
export const DEFAULT_RESTART_POLL_MS = 2000;

export const DEFAULT_BREAKER: Partial<CircuitBreakerConfig> = Object.freeze({
  failureThreshold: 5,
  recoveryTimeoutMs: 60_000,
  // One good answer from a miner that was down is enough to poll it normally again.
  successThreshold: 1,
});
