/**
 * The monitor as the server and CLI see it. The server depends on these types only, so it can be
 * tested against a fake monitor and the monitor can change inside without touching routes.
 */
import type { MinerKind, MinerSample } from '../miners/MinerSample.js';
import type { AddMinerInput, UpdateMinerInput } from '../schema/minerInput.js';
import type {
  AlertRecord,
  EventRecord,
  FleetPoint,
  Series,
  SeriesQuery,
  StorageHealth,
} from '../storage/Storage.js';

/** Every status a miner can be in, declared once; the API schema lists these. */
export const MINER_STATUSES = Object.freeze([
  'online',
  'degraded',
  /** Answers and claims hashrate, but its accepted shares say it finds nothing (proof of work). */
  'not_hashing',
  /** Hashing stopped on purpose (a pause command, or the device says it is paused): not judged. */
  'paused',
  'offline',
  'restarting',
  'breaker_open',
  'disabled',
  'unknown',
] as const);

export type MinerStatus = (typeof MINER_STATUSES)[number];

export interface BreakerSummary {
  readonly name: string;
  readonly state: 'closed' | 'open' | 'half_open';
  readonly failureCount: number;
  /** Epoch ms of the next trial call while open, else null. */
  readonly nextAttemptAt: number | null;
}

export type RestartState = 'restarting' | 'confirmed' | 'unconfirmed';

export interface RestartStatus {
  readonly minerId: string;
  readonly state: RestartState;
  readonly requestedAt: number;
  readonly confirmedAt: number | null;
  readonly detail: string;
}

export interface MinerView {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly kind: MinerKind;
  readonly mac: string | null;
  readonly hostname: string | null;
  readonly enabled: boolean;
  readonly tags: readonly string[];
  /** Whether a device login is stored; the login itself is write-only (docs/CONTROL.md). */
  readonly hasCredentials: boolean;
  /** Effective poll interval (override or default). */
  readonly intervalMs: number;
  readonly status: MinerStatus;
  /** Why it is in that status, in words a user understands. */
  readonly statusReason: string | null;
  readonly lastSeenAt: number | null;
  readonly lastPollAt: number | null;
  readonly lastError: string | null;
  readonly lastSample: MinerSample | null;
  readonly breaker: BreakerSummary | null;
  /** All-time best difficulty kept by us (survives device reboots). */
  readonly bestDifficulty: number | null;
  readonly restart: RestartStatus | null;
  readonly createdAt: number;
  /**
   * With several instances on one database: the instance polling the miner (its status and
   * sample come from there), or null while none holds a live lease. Absent on a lone instance.
   */
  readonly polledBy?: string | null;
}

// What addMiner/updateMiner take: declared once, as the schema the API and the monitor check.
export type { AddMinerInput, UpdateMinerInput } from '../schema/minerInput.js';

export type DifficultySource = 'miner' | 'config' | 'api';

export interface SoloOdds {
  readonly hashrateGhs: number;
  readonly networkDifficulty: number;
  readonly difficultySource: DifficultySource;
  /** When the difficulty was last learned, epoch ms. */
  readonly difficultyUpdatedAt: number;
  /** D x 2^32 / H. */
  readonly expectedSecondsToBlock: number;
  /** 1 - exp(-H t / (D 2^32)) for a day, a 30-day month and a 365-day year. */
  readonly probabilityDay: number;
  readonly probabilityMonth: number;
  readonly probabilityYear: number;
}

export interface FleetSummary {
  readonly miners: {
    readonly total: number;
    readonly online: number;
    readonly degraded: number;
    readonly offline: number;
  };
  readonly hashrateGhs: number;
  readonly expectedHashrateGhs: number;
  readonly powerW: number;
  /** Joules per terahash (W / TH/s); null without power or hashrate. */
  readonly efficiencyJth: number | null;
  readonly bestDifficulty: number | null;
  readonly bestDifficultyMinerId: string | null;
  readonly sharesAccepted: number;
  readonly sharesRejected: number;
  /** Null when no network difficulty is known from any source. */
  readonly soloOdds: SoloOdds | null;
}

export interface DiscoveredMiner {
  readonly host: string;
  readonly port: number;
  readonly kind: MinerKind;
  readonly mac: string | null;
  readonly hostname: string | null;
  readonly firmware: string | null;
  /** Id of the miner we already know by this MAC, if any. */
  readonly knownMinerId: string | null;
}

export interface DiscoverProgress {
  readonly scanned: number;
  readonly total: number;
  readonly found: number;
}

export type MonitorEvent =
  | { readonly type: 'sample'; readonly minerId: string; readonly sample: MinerSample }
  | {
      readonly type: 'status';
      readonly minerId: string;
      readonly from: MinerStatus;
      readonly to: MinerStatus;
      readonly reason: string | null;
      readonly at: number;
    }
  | { readonly type: 'event'; readonly event: EventRecord }
  | {
      readonly type: 'alert';
      readonly action: 'opened' | 'reminder' | 'cleared';
      readonly alert: AlertRecord;
    }
  | {
      readonly type: 'breaker';
      readonly name: string;
      readonly from: string;
      readonly to: string;
      readonly at: number;
    }
  | { readonly type: 'miner'; readonly action: 'added' | 'updated' | 'removed'; readonly minerId: string }
  | { readonly type: 'restart'; readonly restart: RestartStatus };

/**
 * Told once per poll how late it started: ms after its due time, the wait for a free poll slot
 * included. Called on the scheduler's path, so it must be cheap and must not throw.
 */
export type PollLatenessListener = (lateMs: number, minerId: string) => void;

/** Everything the server and CLI may ask of the running monitor. */
export interface Monitor {
  listMiners(): MinerView[];
  getMiner(id: string): MinerView | null;
  /** Throws MonitorError: MINER_EXISTS, MINER_UNREACHABLE, NOT_A_MINER, INVALID_INPUT. */
  addMiner(input: AddMinerInput, options?: { signal?: AbortSignal }): Promise<MinerView>;
  updateMiner(id: string, patch: UpdateMinerInput, actor?: string): Promise<MinerView>;
  removeMiner(id: string, options?: { dropHistory?: boolean }): Promise<boolean>;
  /**
   * Resolves once the command is sent (state 'restarting'); confirmation arrives as an event.
   * `actor` (`api:<client>`, `mqtt`, ...) names who asked in its events.
   */
  restartMiner(id: string, actor?: string): Promise<RestartStatus>;
  series(id: string, query: SeriesQuery): Promise<Series>;
  fleet(): FleetSummary;
  fleetSeries(query: SeriesQuery): Promise<FleetPoint[]>;
  listAlerts(query?: { openOnly?: boolean; limit?: number }): Promise<AlertRecord[]>;
  listEvents(query?: { minerId?: string; limit?: number }): Promise<EventRecord[]>;
  discover(
    target: string,
    options?: { signal?: AbortSignal; onProgress?: (progress: DiscoverProgress) => void },
  ): Promise<DiscoveredMiner[]>;
  health(): Promise<StorageHealth>;
  /** Subscribes to live events; returns the unsubscribe function. */
  subscribe(listener: (event: MonitorEvent) => void): () => void;
  /**
   * Subscribes to every poll's lateness (too frequent for an event); returns the unsubscribe
   * function. Optional: a monitor without a scheduler has nothing to report.
   */
  onPollLateness?(listener: PollLatenessListener): () => void;
}
