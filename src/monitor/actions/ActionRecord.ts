/**
 * One action's progress: the state of every miner in it and of the action as a whole. The one
 * place that moves them; every move is told to the engine's listeners.
 */
import type {
  ActionChange,
  ActionCounts,
  ActionKind,
  ActionState,
  ActionSummary,
  ActionTarget,
  ActionView,
  MinerActionState,
  MinerProgress,
  Rollout,
} from './Action.js';
import { type FleetSettings, withoutPasswords } from './settingsSchema.js';

export interface ActionRecordInit {
  readonly id: string;
  readonly action: ActionKind;
  readonly actor: string;
  readonly target: ActionTarget;
  readonly settings: FleetSettings | null;
  readonly profile: string | null;
  readonly rollout: Rollout;
  /** The rollout plan: the canary first when there is one. */
  readonly batches: readonly (readonly string[])[];
  readonly now: number;
}

export class ActionRecord {
  readonly init: ActionRecordInit;
  readonly #miners = new Map<string, MinerProgress>();
  readonly #counts: Record<MinerActionState, number> = {
    pending: 0,
    applied: 0,
    verified: 0,
    failed: 0,
    skipped: 0,
  };
  readonly #emit: (change: ActionChange) => void;
  #state: ActionState = 'running';
  #haltReason: string | null = null;
  #finishedAt: number | null = null;

  constructor(init: ActionRecordInit, emit: (change: ActionChange) => void) {
    this.init = init;
    this.#emit = emit;
    // Batch 0 is the canary; without one, numbering still starts at 1.
    const first = init.rollout.canary > 0 ? 0 : 1;
    init.batches.forEach((batch, index) => {
      for (const minerId of batch) {
        this.#miners.set(minerId, {
          minerId,
          batch: index + first,
          state: 'pending',
          error: null,
          updatedAt: init.now,
        });
        this.#counts.pending += 1;
      }
    });
  }

  get id(): string {
    return this.init.id;
  }

  get state(): ActionState {
    return this.#state;
  }

  get finished(): boolean {
    return this.#state !== 'running';
  }

  stateOf(minerId: string): MinerActionState | undefined {
    return this.#miners.get(minerId)?.state;
  }

  /** Moves one miner; `error` only with `failed`. */
  set(minerId: string, state: MinerActionState, now: number, error: string | null = null): void {
    const before = this.#miners.get(minerId);
    if (before === undefined || this.finished) return;
    const after: MinerProgress = { minerId, batch: before.batch, state, error, updatedAt: now };
    this.#miners.set(minerId, after);
    this.#counts[before.state] -= 1;
    this.#counts[state] += 1;
    this.#emit({ action: this.summary(), miner: after });
  }

  /** Ends the action; miners still pending are skipped (not told one by one: the counts say it). */
  finish(state: Exclude<ActionState, 'running'>, now: number, haltReason: string | null = null): void {
    if (this.finished) return;
    for (const [minerId, progress] of this.#miners) {
      if (progress.state !== 'pending') continue;
      this.#miners.set(minerId, { ...progress, state: 'skipped', updatedAt: now });
      this.#counts.pending -= 1;
      this.#counts.skipped += 1;
    }
    this.#state = state;
    this.#haltReason = haltReason;
    this.#finishedAt = now;
    this.#emit({ action: this.summary(), miner: null });
  }

  summary(): ActionSummary {
    return {
      id: this.init.id,
      action: this.init.action,
      state: this.#state,
      halted: this.#state === 'halted',
      haltReason: this.#haltReason,
      counts: { ...this.#counts } as ActionCounts,
      createdAt: this.init.now,
      finishedAt: this.#finishedAt,
    };
  }

  view(): ActionView {
    return {
      ...this.summary(),
      actor: this.init.actor,
      target: this.init.target,
      settings: this.init.settings === null ? null : withoutPasswords(this.init.settings),
      profile: this.init.profile,
      rollout: this.init.rollout,
      miners: [...this.#miners.values()],
    };
  }
}
