/**
 * What `buildApp` needs from the outside. Structural types only, so the server can be built
 * against fakes in tests and `main.ts` passes the real objects in.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { EnergyPrice } from '../config/schema/energy.js';
import type { ActionChange } from '../monitor/actions/Action.js';
import type { MinerControl } from '../monitor/control/MinerControl.js';
import type { WatchdogSettings } from '../monitor/state/settings.js';
import type { Monitor } from '../monitor/types.js';
import type { WatchdogView } from '../monitor/WatchdogSwitch.js';
import type { ActionsApi } from './routes/actions.js';
import type { ProfilesApi } from './routes/profiles.js';
import type { SchedulesApi } from './routes/schedules.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

/** The fields of a breaker's stats the server reads; the rest is passed through untouched. */
export interface BreakerStatsLike {
  readonly name: string;
  readonly state: BreakerState;
  readonly failureCount: number;
  /** Retries scheduled through the breaker. */
  readonly retries?: number;
  /** Times a retry gave up through the breaker. */
  readonly giveUps?: number;
  /** Calls refused at once while open. */
  readonly refusals?: number;
}

/** The retry manager's registry of named breakers, as the server uses it. */
export interface BreakerRegistry {
  /** Exactly what `getRetryStats()` returns: a plain object, name -> stats. */
  getStats(): Readonly<Record<string, BreakerStatsLike>>;
  has(name: string): boolean;
  reset(name: string): boolean;
}

/** The MQTT bridge's state as GET /api/health shows it (src/mqtt's MqttStatus has these fields). */
export interface MqttHealth {
  readonly connected: boolean;
  /** The broker's URL without a password. */
  readonly broker: string;
  readonly connectedAt: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
}

export interface ServerClock {
  /** Epoch milliseconds. */
  now(): number;
}

/** The watchdog's run-time settings (src/monitor/WatchdogSwitch.ts), as the server uses them. */
export interface WatchdogControl {
  view(): WatchdogView;
  /** Throws RangeError naming the option when a value is out of range. */
  update(patch: Partial<WatchdogSettings>): Promise<WatchdogView>;
  useConfig(): Promise<WatchdogView>;
}

export interface AppDeps {
  readonly monitor: Monitor;
  readonly breakers: BreakerRegistry;
  /** The API token; compared in constant time. */
  readonly token: string;
  /**
   * The host the server listens on. Beyond loopback, every API request needs the token;
   * on loopback only mutations do.
   */
  readonly listenHost: string;
  readonly version: string;
  /** Directory holding the built dashboard (index.html); null or missing shows how to build it. */
  readonly webRoot: string | null;
  /** @default Date.now */
  readonly clock?: ServerClock;
  /** A registry to expose at /metrics; when absent the app creates and owns one. */
  readonly metricsRegistry?: Registry;
  /** The service's pino logger; a failure the API answers with a 5xx is logged to it. @default none */
  readonly logger?: FastifyBaseLogger;
  /** @default 65536 */
  readonly bodyLimitBytes?: number;
  /** Time to receive a whole request. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Limit on a single slow operation (adding a miner with verify). @default 30000 */
  readonly operationTimeoutMs?: number;
  /** Limit on a discovery scan. @default 300000 */
  readonly discoverTimeoutMs?: number;
  /** SSE heartbeat comment interval. @default 15000 */
  readonly heartbeatMs?: number;
  /** The electricity price for running costs in GET /api/fleet. @default null (no costs) */
  readonly energy?: EnergyPrice | null;
  /** The MQTT bridge's state, or null when none is configured. @default () => null */
  readonly mqtt?: () => MqttHealth | null;
  /** Least time between two live batches on a stream. @default 1000 */
  readonly liveFlushMs?: number;
  /** Per-miner control for the settings, pause, resume and identify routes. @default null */
  readonly control?: MinerControl | null;
  /** Open event streams allowed at once. @default 100 */
  readonly maxStreams?: number;
  /** The fleet action engine behind /api/actions; without it those routes are absent. */
  readonly actions?: ActionsApi & ActionSource;
  /** The watchdog's settings, changeable from the dashboard. @default none (GET /api/settings is 404) */
  readonly watchdog?: WatchdogControl | null;
  /** Saved settings profiles behind /api/profiles; without them those routes are absent. */
  readonly profiles?: ProfilesApi;
  /** The schedules behind /api/schedules (read-only without a store); without them those routes are absent. */
  readonly schedules?: SchedulesApi;
}

/** A source of fleet action changes for the live stream. */
export interface ActionSource {
  subscribe(listener: (change: ActionChange) => void): () => void;
}
