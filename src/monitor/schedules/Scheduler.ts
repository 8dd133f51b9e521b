/**
 * Runs the schedules (the config's and those made over the API): at each schedule's time it
 * starts a fleet action (pause, resume, or a profile's settings) over its target. Time comes from
 * the injected Clock, so tests move a fake one; each schedule waits for its own next run and
 * never two at once. `set` swaps the list while running: a schedule left as it was keeps its
 * wait and last run, a changed one waits for its new time, a removed one stops.
 *
 * A schedule fires at its times only: runs missed while solowatch was down are not replayed.
 */

import type { Clock } from '../../resilience/clock.js';
import type { ActionKind, ActionRequest, ActionTarget, Rollout } from '../actions/Action.js';
import { nextRun } from './nextRun.js';
import type { Weekday } from './wallClock.js';

/** Where a schedule was written: the config file (read-only over the API) or the API. */
export type ScheduleSource = 'config' | 'api';

export interface Schedule {
  readonly name: string;
  /** @default 'config' */
  readonly source?: ScheduleSource;
  /** `HH:MM` in `timeZone`. */
  readonly at: string;
  /** @default every day */
  readonly days?: readonly Weekday[];
  readonly timeZone: string;
  readonly action: Exclude<ActionKind, 'restart'>;
  /** For `settings`: the saved profile to apply. */
  readonly profile?: string;
  readonly target: ActionTarget;
  readonly rollout?: Partial<Rollout>;
}

export interface ScheduleRun {
  readonly at: number;
  /** The fleet action started, or null when it could not start. */
  readonly actionId: string | null;
  readonly error: string | null;
}

export interface ScheduleView extends Schedule {
  readonly source: ScheduleSource;
  readonly nextRunAt: number | null;
  readonly lastRun: ScheduleRun | null;
}

export interface SchedulerOptions {
  readonly schedules: readonly Schedule[];
  readonly clock: Clock;
  /** Starts the fleet action; throws when it cannot (e.g. the target matches nobody). */
  readonly startAction: (request: ActionRequest, actor: string) => { readonly id: string };
  /** Told of every run, for the log. @default nothing */
  readonly onRun?: (schedule: Schedule, run: ScheduleRun) => void;
  /**
   * Asked before each run whether this process runs it: with several instances on one database
   * each holds the same schedules, and only the one that claims a run (name and time) starts it.
   * A run not claimed here is not recorded here. @default every run is this process's
   */
  readonly claimRun?: (name: string, at: number) => Promise<boolean>;
}

interface Entry {
  readonly schedule: Schedule;
  /** Stops this entry's wait alone, when `set` changes or removes it. */
  readonly stop: AbortController;
  loop: Promise<void> | null;
  nextRunAt: number | null;
  lastRun: ScheduleRun | null;
}

function sameSchedule(a: Schedule, b: Schedule): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class Scheduler implements AsyncDisposable {
  readonly #options: SchedulerOptions;
  #entries: Entry[];
  readonly #stop = new AbortController();
  /** Loops of entries `set` took away, still finishing their current step. */
  #leaving: Promise<void>[] = [];
  #started = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#entries = options.schedules.map((schedule) => newEntry(schedule, null));
  }

  start(): void {
    if (this.#started || this.#stop.signal.aborted) return;
    this.#started = true;
    for (const entry of this.#entries) this.#run(entry);
  }

  /** Replaces the schedules, in the order to list them; names are unique (the caller checks). */
  set(schedules: readonly Schedule[]): void {
    const before = new Map(this.#entries.map((entry) => [entry.schedule.name, entry]));
    this.#entries = schedules.map((schedule) => {
      const old = before.get(schedule.name);
      before.delete(schedule.name);
      if (old !== undefined && sameSchedule(old.schedule, schedule)) return old;
      if (old !== undefined) this.#retire(old);
      const entry = newEntry(schedule, old?.lastRun ?? null);
      if (this.#started) this.#run(entry);
      return entry;
    });
    for (const gone of before.values()) this.#retire(gone);
  }

  list(): ScheduleView[] {
    return this.#entries.map((e) => ({
      ...e.schedule,
      source: e.schedule.source ?? 'config',
      nextRunAt: e.nextRunAt,
      lastRun: e.lastRun,
    }));
  }

  async close(): Promise<void> {
    this.#stop.abort(new Error('scheduler closed'));
    await Promise.all([...this.#entries.map((e) => e.loop), ...this.#leaving]);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #run(entry: Entry): void {
    entry.loop = this.#loop(entry);
  }

  #retire(entry: Entry): void {
    entry.stop.abort(new Error(`schedule ${entry.schedule.name} changed`));
    if (entry.loop === null) return;
    const loop = entry.loop;
    this.#leaving.push(loop);
    void loop.then(() => {
      this.#leaving = this.#leaving.filter((l) => l !== loop);
    });
  }

  async #loop(entry: Entry): Promise<void> {
    const { clock, claimRun } = this.#options;
    const signal = AbortSignal.any([this.#stop.signal, entry.stop.signal]);
    let after = clock.now();
    while (!signal.aborted) {
      const at = nextRun(entry.schedule, after);
      entry.nextRunAt = at;
      try {
        await clock.sleep(Math.max(0, at - clock.now()), signal);
      } catch {
        return;
      }
      // Past this run's minute, so one wake-up never fires twice.
      after = Math.max(at, clock.now());
      if (claimRun !== undefined && !(await this.#claimed(claimRun, entry, at))) continue;
      if (signal.aborted) return;
      entry.lastRun = this.#fire(entry.schedule, clock.now());
      this.#options.onRun?.(entry.schedule, entry.lastRun);
    }
  }

  /** A claim that fails (the database is away) is reported as a run that could not start. */
  async #claimed(
    claimRun: (name: string, at: number) => Promise<boolean>,
    entry: Entry,
    at: number,
  ): Promise<boolean> {
    try {
      return await claimRun(entry.schedule.name, at);
    } catch (error) {
      const now = this.#options.clock.now();
      entry.lastRun = { at: now, actionId: null, error: `could not claim the run: ${messageOf(error)}` };
      this.#options.onRun?.(entry.schedule, entry.lastRun);
      return false;
    }
  }

  #fire(schedule: Schedule, now: number): ScheduleRun {
    const request: ActionRequest = {
      action: schedule.action,
      target: schedule.target,
      ...(schedule.profile === undefined ? {} : { profile: schedule.profile }),
      ...(schedule.rollout === undefined ? {} : { rollout: schedule.rollout }),
    };
    try {
      const { id } = this.#options.startAction(request, `schedule:${schedule.name}`);
      return { at: now, actionId: id, error: null };
    } catch (error) {
      return { at: now, actionId: null, error: messageOf(error) };
    }
  }
}

function newEntry(schedule: Schedule, lastRun: ScheduleRun | null): Entry {
  return { schedule, stop: new AbortController(), loop: null, nextRunAt: null, lastRun };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
