/**
 * The API's shapes as the dashboard reads them. Pinned types come from the server's own modules
 * (type-only imports: nothing from the node side is bundled); the rest are the loose views the
 * dashboard renders, with optional fields where the server may add or omit detail.
 */

import type {
  Capabilities,
  DeviceSettings,
  NumericCapability,
  SettingField,
  SettingsPatch,
  SettingsReading,
} from '../miners/control/settings.js';
import type { MinerSample } from '../miners/MinerSample.js';
import type {
  ActionCounts,
  ActionKind,
  ActionRequest,
  ActionState,
  ActionSummary,
  ActionTarget,
  ActionView,
  MinerActionState,
  Rollout,
} from '../monitor/actions/Action.js';
import type { FleetSettings } from '../monitor/actions/settingsSchema.js';
import type { ApplyResult, CommandResult } from '../monitor/control/MinerControl.js';
import type { EnergyCost } from '../monitor/energyCost.js';
import type { Profile, ProfileInput } from '../monitor/profiles/Profile.js';
import type { ScheduleView } from '../monitor/schedules/Scheduler.js';
import type { ScheduleInput } from '../monitor/schedules/ScheduleStore.js';
import type { WatchdogSettings } from '../monitor/state/settings.js';
import type {
  MinerStatus,
  MinerView,
  MonitorEvent,
  FleetSummary as MonitorFleetSummary,
  RestartStatus,
  SoloOdds,
  UpdateMinerInput,
} from '../monitor/types.js';
import type { WatchdogView } from '../monitor/WatchdogSwitch.js';
import type { ListedMinerView, ListedSample } from '../server/listedMiner.js';
import type { LiveAction, LiveActionMiner, LiveChanges, LiveRow } from '../server/liveBatch.js';
import type { AlertRecord, FleetPoint, Series, SeriesPoint } from '../storage/Storage.js';

export type {
  ActionCounts,
  ActionKind,
  ActionRequest,
  ActionState,
  ActionSummary,
  ActionTarget,
  ActionView,
  AlertRecord,
  ApplyResult,
  Capabilities,
  CommandResult,
  DeviceSettings,
  EnergyCost,
  FleetPoint,
  FleetSettings,
  ListedSample,
  LiveAction,
  LiveActionMiner,
  LiveChanges,
  LiveRow,
  MinerActionState,
  MinerSample,
  MinerStatus,
  MinerView,
  MonitorEvent,
  NumericCapability,
  Profile,
  ProfileInput,
  RestartStatus,
  Rollout,
  ScheduleInput,
  ScheduleView,
  Series,
  SeriesPoint,
  SettingField,
  SettingsPatch,
  SettingsReading,
  SoloOdds,
  UpdateMinerInput,
  WatchdogSettings,
  WatchdogView,
};

/** GET /api/settings: what the operator may change while solowatch runs. */
export interface SettingsView {
  readonly watchdog: WatchdogView;
}

/**
 * A miner as the table holds it: GET /api/miners gives the sample fields the table reads
 * (ListedSample); GET /api/miners/:id gives them all, with the raw replies.
 */
export type ListedMiner = ListedMinerView;

/** GET /api/fleet: the monitor's summary, with running costs when a price is configured. */
export type FleetSummary = MonitorFleetSummary & { readonly energy?: EnergyCost | null };

export type BreakerState = 'closed' | 'open' | 'half_open';

/** A breaker as GET /api/resilience reports it; only name, state and failureCount are pinned. */
export interface BreakerStatsView {
  readonly name: string;
  readonly state: BreakerState;
  readonly failureCount: number;
  readonly successCount?: number;
  readonly lastFailureTime?: number | null;
  readonly config?: {
    readonly failureThreshold?: number;
    readonly recoveryTimeoutMs?: number;
    readonly successThreshold?: number;
  };
  readonly calls?: number;
  readonly failures?: number;
  readonly refusals?: number;
  readonly retries?: number;
  readonly giveUps?: number;
  readonly openedAt?: number | null;
  readonly nextAttemptAt?: number | null;
}

export interface HealthView {
  readonly status: 'ok' | 'degraded';
  readonly database: {
    readonly ok: boolean;
    readonly detail: string;
    readonly queued: number;
    readonly dropped: number;
    readonly available: boolean;
    readonly breaker: BreakerState | null;
  };
  /** The MQTT bridge; null when none is configured. */
  readonly mqtt: {
    readonly connected: boolean;
    readonly broker: string;
    readonly lastError: string | null;
  } | null;
  readonly version: string;
  readonly uptimeS: number;
}

export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}
