/**
 * One miner's state as the monitor's one state machine holds it, the inputs that move it and
 * what a move produces. `reduce(state, input, context)` (reduce.ts) is the only function that
 * makes a new MinerState; nothing else writes a status.
 */
import type { SettingField } from '../../miners/control/settings.js';
import type { MinerSample } from '../../miners/MinerSample.js';
import type { Severity } from '../../storage/Storage.js';
import type { MinerStatus, RestartStatus } from '../types.js';
import { EMPTY_POW, type PowState } from './powHealth.js';
import type { ReducerSettings } from './settings.js';

/** Conditions that hold for a while and clear; alerts follow them one-to-one. */
export type ConditionName = 'offline' | 'overheating' | 'hashrate_low' | 'reject_rate_high' | 'not_hashing';

export type StateEventType =
  | 'went_offline'
  | 'came_back'
  | 'rebooted'
  | 'overheating'
  | 'overheating_cleared'
  | 'hashrate_low'
  | 'hashrate_recovered'
  | 'reject_rate_high'
  | 'reject_rate_normal'
  | 'not_hashing'
  | 'hashing_resumed'
  | 'best_difficulty_session'
  | 'best_difficulty_all_time'
  | 'best_difficulty_implausible'
  | 'block_found'
  | 'pool_changed'
  | 'restart_requested'
  | 'restart_failed'
  | 'restart_confirmed'
  | 'restart_unconfirmed'
  | 'watchdog_gave_up'
  | 'miner_paused'
  | 'miner_resumed'
  | 'miner_identify'
  | 'settings_changed'
  | 'control_failed';

export interface StateEvent {
  readonly type: StateEventType;
  readonly severity: Severity;
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Who asked for a restart. */
export type RestartOrigin = 'user' | 'watchdog';

/** Why a miner is paused: a command (who asked) or the device saying so by itself. */
export interface PauseState {
  /** The actor that paused it (`api:<client>`, `mqtt`, `schedule`, ...), or `device`. */
  readonly by: string;
  readonly since: number;
}

/** A restart we sent and are waiting to see happen. */
export interface RestartWatch {
  readonly requestedAt: number;
  readonly deadline: number;
  /** Uptime from the last sample before the command, when known. */
  readonly uptimeBeforeS: number | null;
  readonly by: RestartOrigin;
}

export interface MinerState {
  readonly minerId: string;
  readonly status: MinerStatus;
  /** Why it is in that status, in words a user understands. */
  readonly reason: string | null;
  readonly consecutiveFailures: number;
  readonly lastSampleAt: number | null;
  readonly uptimeS: number | null;
  readonly lowHashrateSince: number | null;
  readonly overheating: boolean;
  readonly hashrateLow: boolean;
  readonly rejectRateHigh: boolean;
  readonly notHashing: boolean;
  readonly pow: PowState;
  readonly sessionBest: number | null;
  /** Our all-time best (from storage at start), so it survives device reboots. */
  readonly allTimeBest: number | null;
  /** A session best too good for the work done was flagged this session. */
  readonly bestFlagged: boolean;
  readonly blocksFound: number | null;
  readonly poolUrl: string | null;
  readonly poolUser: string | null;
  /** The last restart as the API shows it (sending, restarting, confirmed, unconfirmed). */
  readonly restart: RestartStatus | null;
  readonly restartWatch: RestartWatch | null;
  /** A command on its way to the device, between `command_sent` and its outcome. */
  readonly command: {
    readonly kind: 'restart';
    readonly by: RestartOrigin;
    readonly why: string | null;
    /** Who asked (`api:<client>`, `cli`, `action:<id>`, ...), when known. */
    readonly actor: string | null;
  } | null;
  /** When restarts were sent within the last hour, oldest first (cooldown and watchdog cap). */
  readonly restartsAt: readonly number[];
  /** The watchdog hit its cap and stopped restarting this miner until it is healthy again. */
  readonly watchdogGaveUp: boolean;
  /** Paused (by a command or by the device): not judged on hashrate or shares, never healed. */
  readonly paused: PauseState | null;
  /**
   * Hashrate and shares are not judged before this time: after a resume or a changed frequency or
   * voltage the device settles, and its new hashrate is not held against the old window.
   */
  readonly settlingUntil: number | null;
}

export type MinerInput =
  | { readonly kind: 'sample'; readonly sample: MinerSample }
  /** What storage knew of the miner before the monitor started: a reboot meanwhile is still seen. */
  | {
      readonly kind: 'restored';
      readonly at: number;
      readonly uptimeS: number | null;
      readonly sessionBest: number | null;
    }
  | { readonly kind: 'poll_failed'; readonly message: string }
  | { readonly kind: 'breaker_refused'; readonly retryAfterMs: number }
  /** A restart is about to go out; `actor` names who asked when a person or service did. */
  | {
      readonly kind: 'command_sent';
      readonly command: 'restart';
      readonly by: RestartOrigin;
      readonly why: string | null;
      readonly actor?: string;
    }
  /** What the device said to a restart: accepted (with its words), or refused / unreachable. */
  | {
      readonly kind: 'command_outcome';
      readonly command: 'restart';
      readonly ok: boolean;
      readonly detail: string;
    }
  | ControlOutcome;

/** Commands of MinerControl other than restart, whose outcome the control service reports. */
export type ControlCommandName = 'pause' | 'resume' | 'identify' | 'settings';

/**
 * The outcome of a pause, resume, identify or settings write, from the control service. The
 * control service knows the device, the patch and the read-back, so it words the event; the
 * reducer decides what the outcome means for the miner's state and writes the one event.
 */
export interface ControlOutcome {
  readonly kind: 'command_outcome';
  readonly command: ControlCommandName;
  readonly ok: boolean;
  readonly actor: string;
  readonly message: string;
  readonly severity: Severity;
  readonly data: Readonly<Record<string, unknown>>;
  /** For `settings`: the fields that read back as written (empty otherwise). */
  readonly applied: readonly SettingField[];
}

export interface ReduceContext {
  readonly now: number;
  readonly settings: ReducerSettings;
}

/** Something the reducer asks the world to do; the applier carries it out. */
export type Effect = { readonly kind: 'restart'; readonly by: 'watchdog'; readonly why: string };

export interface Transition {
  readonly state: MinerState;
  readonly events: readonly StateEvent[];
  /** The conditions this input could observe (an offline poll says nothing about temperature). */
  readonly conditions: Readonly<Partial<Record<ConditionName, boolean>>>;
  readonly effects: readonly Effect[];
}

export function initialMinerState(minerId: string, allTimeBest: number | null = null): MinerState {
  return {
    minerId,
    status: 'unknown',
    reason: null,
    consecutiveFailures: 0,
    lastSampleAt: null,
    uptimeS: null,
    lowHashrateSince: null,
    overheating: false,
    hashrateLow: false,
    rejectRateHigh: false,
    notHashing: false,
    pow: EMPTY_POW,
    sessionBest: null,
    allTimeBest,
    bestFlagged: false,
    blocksFound: null,
    poolUrl: null,
    poolUser: null,
    restart: null,
    restartWatch: null,
    command: null,
    restartsAt: [],
    watchdogGaveUp: false,
    paused: null,
    settlingUntil: null,
  };
}
