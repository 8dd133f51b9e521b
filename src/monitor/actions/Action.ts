/**
 * A fleet action: one command (restart, pause, resume or a settings change) rolled out over many
 * miners, a canary first and then batches, each write read back. The names here are the API's
 * (DESIGN.md, POST /api/actions); each is declared once and imported everywhere.
 */
import type { FleetSettings } from './settingsSchema.js';

export const ACTION_KINDS = Object.freeze(['restart', 'pause', 'resume', 'settings'] as const);
export type ActionKind = (typeof ACTION_KINDS)[number];

/** What happened to one miner in an action. */
export const MINER_ACTION_STATES = Object.freeze([
  /** Not started yet. */
  'pending',
  /** The device accepted the command; reading it back is under way. */
  'applied',
  /** Read back: the device does what was asked. */
  'verified',
  /** The command or its read-back failed; `error` says why. */
  'failed',
  /** Never sent: the action halted (or was cancelled) before this miner's turn. */
  'skipped',
] as const);
export type MinerActionState = (typeof MINER_ACTION_STATES)[number];

export const ACTION_STATES = Object.freeze([
  'running',
  /** Every miner had its turn (some may have failed when `haltOnFailure` is false). */
  'completed',
  /** A canary or batch failed with `haltOnFailure`: the rest were skipped. */
  'halted',
  /** The server shut down mid-way: the rest were skipped. */
  'cancelled',
] as const);
export type ActionState = (typeof ACTION_STATES)[number];

export interface ActionTarget {
  readonly ids?: readonly string[];
  /** Miners carrying any of these tags. */
  readonly tags?: readonly string[];
  readonly all?: boolean;
}

export interface Rollout {
  /** Miners tried alone first; 0 skips the canary. @default 1 */
  readonly canary: number;
  /** Miners at a time after the canary. @default 5 */
  readonly batchSize: number;
  /** Stop at the first failed canary or batch, leaving the rest `skipped`. @default true */
  readonly haltOnFailure: boolean;
}

export const DEFAULT_ROLLOUT: Rollout = Object.freeze({ canary: 1, batchSize: 5, haltOnFailure: true });

export interface ActionRequest {
  readonly action: ActionKind;
  readonly target: ActionTarget;
  /** Required for `settings` (or `profile`), refused otherwise. */
  readonly settings?: FleetSettings;
  /** A saved profile whose settings to apply (action `settings`). */
  readonly profile?: string;
  readonly rollout?: Partial<Rollout>;
}

/** One miner's step, as the runner sends it. */
export interface ActionStep {
  readonly action: ActionKind;
  readonly settings: FleetSettings | null;
  /** Who asked: `action:<id>`, as the control interface records it. */
  readonly actor: string;
}

export interface MinerProgress {
  readonly minerId: string;
  /** 0 is the canary (when there is one), then 1, 2, ... */
  readonly batch: number;
  readonly state: MinerActionState;
  readonly error: string | null;
  /** Epoch ms of the last change. */
  readonly updatedAt: number;
}

export type ActionCounts = Readonly<Record<MinerActionState, number>>;

export interface ActionSummary {
  readonly id: string;
  readonly action: ActionKind;
  readonly state: ActionState;
  readonly halted: boolean;
  /** Why it halted, naming the miner, or null. */
  readonly haltReason: string | null;
  readonly counts: ActionCounts;
  readonly createdAt: number;
  readonly finishedAt: number | null;
}

export interface ActionView extends ActionSummary {
  readonly actor: string;
  readonly target: ActionTarget;
  readonly settings: FleetSettings | null;
  readonly profile: string | null;
  readonly rollout: Rollout;
  /** In rollout order: the canary first. */
  readonly miners: readonly MinerProgress[];
}

/** Told to listeners on every change: the action's summary, and the miner that moved if one did. */
export interface ActionChange {
  readonly action: ActionSummary;
  readonly miner: MinerProgress | null;
}
