/**
 * Runs fleet actions: checks the request, picks the miners, plans the rollout and walks it, a
 * canary and then batches, each miner's command sent and read back through a `StepRunner`. An
 * action runs in the background; its progress is read with `get` and told to `subscribe`rs.
 *
 * Within a batch the miners run at once; the next batch starts when the whole batch is done. With
 * `haltOnFailure` a failure anywhere in a batch stops the action after that batch: commands
 * already sent are not taken back (a write in flight is never aborted half-way), and every miner
 * not yet started is `skipped`.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../resilience/clock.js';
import {
  ACTION_KINDS,
  type ActionChange,
  type ActionRequest,
  type ActionStep,
  type ActionView,
  DEFAULT_ROLLOUT,
  type Rollout,
} from './Action.js';
import { ActionError } from './ActionError.js';
import { ActionRecord } from './ActionRecord.js';
import { planRollout } from './planRollout.js';
import { resolveTarget, type TargetableMiner } from './resolveTarget.js';
import type { StepRunner } from './StepRunner.js';
import type { FleetSettings } from './settingsSchema.js';

export interface ActionEngineOptions {
  readonly runner: StepRunner;
  /** The fleet as it is now, in the order actions walk it. */
  readonly miners: () => readonly TargetableMiner[];
  /** A saved profile's settings, or null when there is no such profile. @default no profiles */
  readonly profileSettings?: (profileId: string) => FleetSettings | null;
  readonly clock: Clock;
  /** @default crypto.randomUUID */
  readonly newId?: () => string;
  /**
   * Longest one miner's command and read-back may take before it counts as failed. A restart is
   * confirmed only by the next poll, so this leaves room for a poll or two. @default 180000
   */
  readonly stepTimeoutMs?: number;
  /** Finished actions kept for GET /api/actions/:id; the oldest go first. @default 100 */
  readonly keepFinished?: number;
}

export const DEFAULT_STEP_TIMEOUT_MS = 180_000;
export const DEFAULT_KEEP_FINISHED = 100;

/** Reads a value no better than `undefined` into the message of an error. */
function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Rejects as soon as `signal` aborts, even when `promise` never settles. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export class ActionEngine implements AsyncDisposable {
  readonly #options: ActionEngineOptions;
  readonly #stepTimeoutMs: number;
  readonly #keepFinished: number;
  readonly #newId: () => string;
  readonly #actions = new Map<string, ActionRecord>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #listeners = new Set<(change: ActionChange) => void>();
  readonly #stop = new AbortController();

  constructor(options: ActionEngineOptions) {
    const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    if (!(stepTimeoutMs > 0)) throw new RangeError('Expected `stepTimeoutMs` to be a positive number.');
    const keep = options.keepFinished ?? DEFAULT_KEEP_FINISHED;
    if (!Number.isInteger(keep) || keep < 0) {
      throw new RangeError('Expected `keepFinished` to be a non-negative integer.');
    }
    this.#options = options;
    this.#stepTimeoutMs = stepTimeoutMs;
    this.#keepFinished = keep;
    this.#newId = options.newId ?? randomUUID;
  }

  /**
   * Checks the request and starts the action in the background. Throws ActionError
   * INVALID_INPUT naming the problem; nothing is sent to any miner then.
   */
  start(request: ActionRequest, actor: string): ActionView {
    if (this.#stop.signal.aborted) throw new ActionError('INVALID_INPUT', 'the server is shutting down');
    if (!ACTION_KINDS.includes(request.action)) {
      throw new ActionError('INVALID_INPUT', `action must be one of ${ACTION_KINDS.join(', ')}`);
    }
    const settings = this.#settingsOf(request);
    const rollout = this.#rolloutOf(request.rollout);
    const minerIds = resolveTarget(this.#options.miners(), request.target);
    const id = this.#newId();
    const record = new ActionRecord(
      {
        id,
        action: request.action,
        actor,
        target: request.target,
        settings,
        profile: request.profile ?? null,
        rollout,
        batches: planRollout(minerIds, rollout),
        now: this.#options.clock.now(),
      },
      (change) => this.#tell(change),
    );
    this.#actions.set(id, record);
    const run = this.#run(record).finally(() => {
      this.#running.delete(id);
      this.#forgetOld();
    });
    this.#running.set(id, run);
    return record.view();
  }

  get(id: string): ActionView | null {
    return this.#actions.get(id)?.view() ?? null;
  }

  /** Every action kept, newest first, without the per-miner lists. */
  list(): ReturnType<ActionRecord['summary']>[] {
    return [...this.#actions.values()].reverse().map((record) => record.summary());
  }

  /** Resolves when the action is no longer running (for tests and shutdown). */
  async settled(id: string): Promise<void> {
    await this.#running.get(id);
  }

  subscribe(listener: (change: ActionChange) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Stops every running action (the rest of its miners are skipped) and waits for them. */
  async close(): Promise<void> {
    this.#stop.abort(new Error('the server is shutting down'));
    await Promise.all(this.#running.values());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #settingsOf(request: ActionRequest): FleetSettings | null {
    if (request.action !== 'settings') {
      if (request.settings !== undefined || request.profile !== undefined) {
        throw new ActionError('INVALID_INPUT', `settings and profile belong only to action 'settings'`);
      }
      return null;
    }
    if (request.settings !== undefined && request.profile !== undefined) {
      throw new ActionError('INVALID_INPUT', 'give either settings or profile, not both');
    }
    if (request.profile !== undefined) {
      const settings = this.#options.profileSettings?.(request.profile) ?? null;
      if (settings === null)
        throw new ActionError('INVALID_INPUT', `profile '${request.profile}' does not exist`);
      return settings;
    }
    if (request.settings === undefined || Object.keys(request.settings).length === 0) {
      throw new ActionError('INVALID_INPUT', "action 'settings' needs settings or a profile");
    }
    return request.settings;
  }

  #rolloutOf(given: Partial<Rollout> | undefined): Rollout {
    const rollout = { ...DEFAULT_ROLLOUT, ...given };
    if (!Number.isInteger(rollout.canary) || rollout.canary < 0) {
      throw new ActionError('INVALID_INPUT', 'rollout.canary must be a whole number >= 0');
    }
    if (!Number.isInteger(rollout.batchSize) || rollout.batchSize < 1) {
      throw new ActionError('INVALID_INPUT', 'rollout.batchSize must be a whole number >= 1');
    }
    return rollout;
  }

  async #run(record: ActionRecord): Promise<void> {
    const { batches, rollout } = record.init;
    const step: ActionStep = {
      action: record.init.action,
      settings: record.init.settings,
      actor: `action:${record.id}`,
    };
    const clock = this.#options.clock;
    for (const [index, batch] of batches.entries()) {
      if (this.#stop.signal.aborted) {
        record.finish('cancelled', clock.now());
        return;
      }
      await Promise.all(batch.map((minerId) => this.#runMiner(record, minerId, step)));
      if (this.#stop.signal.aborted) break;
      const failed = batch.filter((minerId) => record.stateOf(minerId) === 'failed');
      if (failed.length > 0 && rollout.haltOnFailure && index < batches.length - 1) {
        const number = rollout.canary > 0 ? index : index + 1;
        const where = number === 0 ? 'the canary' : `batch ${number}`;
        const names =
          failed.length === 1 ? `miner ${failed[0]}` : `${failed.length} miners (${failed[0]}, ...)`;
        record.finish('halted', clock.now(), `${names} failed in ${where}`);
        return;
      }
    }
    record.finish(this.#stop.signal.aborted ? 'cancelled' : 'completed', clock.now());
  }

  async #runMiner(record: ActionRecord, minerId: string, step: ActionStep): Promise<void> {
    const clock = this.#options.clock;
    const { runner } = this.#options;
    const controller = new AbortController();
    const timer = new AbortController();
    const stop = this.#stop.signal;
    const onStop = () => controller.abort(stop.reason);
    stop.addEventListener('abort', onStop, { once: true });
    const seconds = Math.round(this.#stepTimeoutMs / 1000);
    clock.sleep(this.#stepTimeoutMs, timer.signal).then(
      () => controller.abort(new Error(`no confirmation within ${seconds} s`)),
      () => {},
    );
    try {
      const applied = await untilAborted(runner.apply(minerId, step, controller.signal), controller.signal);
      record.set(minerId, 'applied', clock.now());
      const verified = await untilAborted(
        runner.verify(minerId, step, applied, controller.signal),
        controller.signal,
      );
      if (verified) record.set(minerId, 'verified', clock.now());
    } catch (error) {
      record.set(minerId, 'failed', clock.now(), messageOf(error));
    } finally {
      timer.abort();
      stop.removeEventListener('abort', onStop);
    }
  }

  #tell(change: ActionChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure is its own; the action goes on.
      }
    }
  }

  #forgetOld(): void {
    let finished = [...this.#actions.values()].filter((record) => record.finished).length;
    for (const [id, record] of this.#actions) {
      if (finished <= this.#keepFinished) return;
      if (!record.finished) continue;
      this.#actions.delete(id);
      finished -= 1;
    }
  }
}
