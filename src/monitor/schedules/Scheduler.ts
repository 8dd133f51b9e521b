/**
 * Runs the config's schedules: at each schedule's time it starts a fleet action (pause, resume,
 * or a profile's settings) over its target. Time comes from the injected Clock, so tests move a
 * fake one; each schedule waits for its own next run and never two at once.
 *
 * A schedule fires at its times only: runs missed while solowatch was down are not replayed.
 */

import type { Clock } from '../../resilience/clock.js';
import type { ActionKind, ActionRequest, ActionTarget, Rollout } from '../actions/Action.js';
import { nextRun } from './nextRun.js';
import type { Weekday } from './wallClock.js';

export interface Schedule {
  readonly name: string;
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
}

interface Entry {
  readonly schedule: Schedule;
  nextRunAt: number | null;
  lastRun: ScheduleRun | null;
}

export class Scheduler implements AsyncDisposable {
  readonly #options: SchedulerOptions;
  readonly #entries: Entry[];
  readonly #stop = new AbortController();
  #loops: Promise<void>[] = [];

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#entries = options.schedules.map((schedule) => ({ schedule, nextRunAt: null, lastRun: null }));
  }

  start(): void {
    if (this.#loops.length > 0 || this.#stop.signal.aborted) return;
    this.#loops = this.#entries.map((entry) => this.#loop(entry));
  }

  list(): ScheduleView[] {
    return this.#entries.map((e) => ({ ...e.schedule, nextRunAt: e.nextRunAt, lastRun: e.lastRun }));
  }

  async close(): Promise<void> {
    this.#stop.abort(new Error('scheduler closed'));
    await Promise.all(this.#loops);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #loop(entry: Entry): Promise<void> {
    const { clock } = this.#options;
    const signal = this.#stop.signal;
    let after = clock.now();
    while (!signal.aborted) {
      const at = nextRun(entry.schedule, after);
      entry.nextRunAt = at;
      try {
        await clock.sleep(Math.max(0, at - clock.now()), signal);
      } catch {
        return;
      }
      entry.lastRun = this.#fire(entry.schedule, clock.now());
      this.#options.onRun?.(entry.schedule, entry.lastRun);
      // Past this run's minute, so one wake-up never fires twice.
      after = Math.max(at, clock.now());
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
      return { at: now, actionId: null, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
