/**
 * The schedules in force: the config file's (read-only here: edit the file) and those made over
 * the API, kept in the data directory (`schedules.json`, written atomically). Every change is
 * checked by the same rules as the config's, saved, handed to the Scheduler at once (no restart),
 * and told to `onChange` with who made it, for the event log.
 */
import Type, { type Static } from 'typebox';
import { ScheduleConfig } from '../../config/schema/fleet.js';
import { checker } from '../../schema/validator.js';
import type { EventRecord } from '../../storage/Storage.js';
import { JsonFile } from '../JsonFile.js';
import { checkSchedule, ScheduleConfigError, type ScheduleKeys } from './resolveSchedules.js';
import type { Schedule } from './Scheduler.js';

const { timezone, ...configFields } = ScheduleConfig.properties;

/** A schedule as the API takes it: the config's fields, the zone spelled `timeZone` as it is shown. */
export const ScheduleBody = Type.Object(
  { ...configFields, timeZone: timezone },
  {
    additionalProperties: false,
    'x-expected':
      'an object like { name: night, at: "22:00", timeZone: Europe/Berlin, action: pause, target: { tags: [garage] } }',
  },
);
export type ScheduleInput = Static<typeof ScheduleBody>;

export type ScheduleErrorCode = 'SCHEDULE_NOT_FOUND' | 'SCHEDULE_EXISTS' | 'SCHEDULE_READ_ONLY';

export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
  readonly code: ScheduleErrorCode;
  constructor(code: ScheduleErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export function isScheduleError(error: unknown): error is ScheduleError {
  return error instanceof ScheduleError;
}

export type ScheduleChangeKind = 'created' | 'replaced' | 'deleted';

export interface ScheduleChange {
  readonly kind: ScheduleChangeKind;
  readonly name: string;
  /** Who asked, e.g. `api:dashboard`. */
  readonly actor: string;
  /** The schedule after the change; null once deleted. */
  readonly schedule: Schedule | null;
}

export interface ScheduleStoreOptions {
  /** The JSON file of API-made schedules; created on the first save. */
  readonly path: string;
  /** The config file's schedules, already checked (resolveSchedules). */
  readonly fromConfig: readonly Schedule[];
  /** A zone for a schedule given none: the server's own. */
  readonly defaultZone: string;
  readonly profileExists: (name: string) => boolean;
  /** Takes the whole list after every change: the Scheduler's `set`. */
  readonly apply: (schedules: readonly Schedule[]) => void;
  readonly onChange?: (change: ScheduleChange) => void;
}

const API_KEYS: ScheduleKeys = { timeZone: 'body.timeZone', profile: 'body.profile', target: 'body.target' };
const checkStored = checker(ScheduleBody);

export class ScheduleStore {
  readonly #options: ScheduleStoreOptions;
  readonly #file: JsonFile;
  readonly #made = new Map<string, Schedule>();

  constructor(options: ScheduleStoreOptions) {
    this.#options = options;
    this.#file = new JsonFile(options.path);
  }

  /**
   * Reads the API-made schedules and hands all to the Scheduler. A broken file, or one naming a
   * schedule the config file also names, stops the start with an error naming the file and the
   * entry: running one of the two silently would surprise whoever wrote the other.
   */
  async load(): Promise<void> {
    const entries = await this.#file.read();
    if (entries !== null && !Array.isArray(entries)) {
      throw new Error(`${this.#file.path} must hold a JSON array of schedules`);
    }
    this.#made.clear();
    for (const [index, entry] of (entries ?? []).entries()) {
      const where = `${this.#file.path}: schedule [${index}]`;
      const checked = checkStored(entry);
      if (!checked.ok)
        throw new Error(`${where} is invalid: ${checked.problem.path} ${checked.problem.problem}`);
      if (this.#isConfig(checked.value.name)) {
        throw new Error(
          `${where} is named '${checked.value.name}' like a schedule in the config file; rename one of them`,
        );
      }
      try {
        // A profile deleted since is not fatal: the run says so when it comes.
        this.#made.set(checked.value.name, checkSchedule(this.#scheduleOf(checked.value), API_KEYS, null));
      } catch (error) {
        if (error instanceof ScheduleConfigError) throw new Error(`${where} is invalid: ${error.message}`);
        throw error;
      }
    }
    this.#options.apply(this.all());
  }

  /** The config's first, then the API's in the order they were made. */
  all(): Schedule[] {
    return [...this.#options.fromConfig, ...this.#made.values()];
  }

  async create(input: ScheduleInput, actor: string): Promise<Schedule> {
    if (this.#isConfig(input.name) || this.#made.has(input.name)) {
      throw new ScheduleError('SCHEDULE_EXISTS', `a schedule named '${input.name}' already exists`);
    }
    const schedule = this.#checked(input);
    const before = new Map(this.#made);
    this.#made.set(schedule.name, schedule);
    await this.#changed({ kind: 'created', name: schedule.name, actor, schedule }, before);
    return schedule;
  }

  /** Replaces the schedule named; the body's name, if it differs, renames it. */
  async replace(name: string, input: ScheduleInput, actor: string): Promise<Schedule> {
    this.#editable(name);
    if (input.name !== name && (this.#isConfig(input.name) || this.#made.has(input.name))) {
      throw new ScheduleError('SCHEDULE_EXISTS', `a schedule named '${input.name}' already exists`);
    }
    const schedule = this.#checked(input);
    const before = new Map(this.#made);
    // Kept in its place in the list, under its (possibly new) name.
    const entries = [...this.#made].map(([key, value]): [string, Schedule] =>
      key === name ? [schedule.name, schedule] : [key, value],
    );
    this.#made.clear();
    for (const [key, value] of entries) this.#made.set(key, value);
    await this.#changed({ kind: 'replaced', name, actor, schedule }, before);
    return schedule;
  }

  async remove(name: string, actor: string): Promise<void> {
    this.#editable(name);
    const before = new Map(this.#made);
    this.#made.delete(name);
    await this.#changed({ kind: 'deleted', name, actor, schedule: null }, before);
  }

  #isConfig(name: string): boolean {
    return this.#options.fromConfig.some((s) => s.name === name);
  }

  #editable(name: string): void {
    if (this.#isConfig(name)) {
      throw new ScheduleError(
        'SCHEDULE_READ_ONLY',
        `schedule '${name}' comes from the config file: edit the config file to change it`,
      );
    }
    if (!this.#made.has(name)) throw new ScheduleError('SCHEDULE_NOT_FOUND', `no schedule named '${name}'`);
  }

  #scheduleOf(input: ScheduleInput): Schedule {
    const { timeZone, ...rest } = input;
    return { ...rest, timeZone: timeZone ?? this.#options.defaultZone, source: 'api' } as Schedule;
  }

  #checked(input: ScheduleInput): Schedule {
    return checkSchedule(this.#scheduleOf(input), API_KEYS, this.#options.profileExists);
  }

  /**
   * Saves, then hands the list to the Scheduler. A save that fails puts `before` back, so nothing
   * runs that the file (and so the next start) would not have, and the caller gets the error.
   */
  async #changed(change: ScheduleChange, before: ReadonlyMap<string, Schedule>): Promise<void> {
    try {
      // Stored without `source`: every schedule in the file is an API one.
      await this.#file.save([...this.#made.values()].map(({ source: _source, ...stored }) => stored));
    } catch (error) {
      this.#made.clear();
      for (const [key, value] of before) this.#made.set(key, value);
      throw error;
    }
    this.#options.apply(this.all());
    this.#options.onChange?.(change);
  }
}

/** The event a change is recorded as: `schedule_created`, `schedule_replaced` or `schedule_deleted`. */
export function scheduleEvent(change: ScheduleChange, timestamp: number): EventRecord {
  return {
    minerId: null,
    type: `schedule_${change.kind}`,
    severity: 'info',
    message: `schedule ${change.name} ${change.kind} by ${change.actor}`,
    timestamp,
    data: { name: change.name, actor: change.actor, schedule: change.schedule },
  };
}
