/**
 * Schedules (config `schedules` and those made over the API), each starting a fleet action at its
 * time: the scheduler that runs them and the store that keeps the API's in the data directory.
 */
import { join } from 'node:path';
import { ConfigError, type SolowatchConfig } from '../config/Config.js';
import type { LogFn } from '../log/logger.js';
import type { ActionEngine } from '../monitor/actions/ActionEngine.js';
import type { ScheduleRunClaims } from '../monitor/cluster/ScheduleRunClaims.js';
import type { ProfileStore } from '../monitor/profiles/ProfileStore.js';
import { resolveSchedules, ScheduleConfigError } from '../monitor/schedules/resolveSchedules.js';
import { Scheduler } from '../monitor/schedules/Scheduler.js';
import { ScheduleStore, scheduleEvent } from '../monitor/schedules/ScheduleStore.js';
import { localTimeZone } from '../monitor/schedules/wallClock.js';
import type { Clock } from '../resilience/clock.js';
import type { Storage } from '../storage/Storage.js';

/** Schedules made over the API, in the data directory (the config's stay in the config). */
export const SCHEDULES_FILE = 'schedules.json';

/** Runs a check of the config, turning its complaint into a ConfigError naming the key. */
function namedConfig<T>(config: SolowatchConfig, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ScheduleConfigError) {
      throw new ConfigError(
        config.configFile ?? 'configuration',
        error.key,
        error.message.slice(error.key.length + 1),
      );
    }
    throw error;
  }
}

export interface SchedulesWiring {
  readonly config: SolowatchConfig;
  readonly profiles: ProfileStore;
  readonly actions: ActionEngine;
  /** Where each schedule change is recorded as an event. */
  readonly storage: Storage;
  /** With several instances, who runs each schedule's run; null when this instance runs alone. */
  readonly runClaims: ScheduleRunClaims | null;
  readonly clock: Clock;
  readonly log: LogFn;
}

/**
 * The scheduler (not started) and the store that hands it every schedule once loaded; a bad
 * schedule in the config is a ConfigError naming it.
 */
export function buildSchedules({
  config,
  profiles,
  actions,
  storage,
  runClaims,
  clock,
  log,
}: SchedulesWiring): {
  readonly scheduler: Scheduler;
  readonly store: ScheduleStore;
} {
  const scheduler = new Scheduler({
    schedules: [],
    clock,
    startAction: (request, actor) => actions.start(request, actor),
    onRun: (schedule, run) =>
      log(
        run.error === null ? 'info' : 'warn',
        `schedule ${schedule.name}: ${run.error === null ? `started action ${run.actionId}` : `could not start: ${run.error}`}`,
      ),
    ...(runClaims === null ? {} : { claimRun: (name, at) => runClaims.claim(name, at) }),
  });
  const store = new ScheduleStore({
    path: join(config.dataDir, SCHEDULES_FILE),
    fromConfig: namedConfig(config, () =>
      resolveSchedules(config.schedules, (name) => profiles.settingsOf(name) !== null),
    ),
    defaultZone: localTimeZone(),
    profileExists: (name) => profiles.settingsOf(name) !== null,
    apply: (schedules) => scheduler.set(schedules),
    onChange: (change) => {
      const event = scheduleEvent(change, Date.now());
      log('info', event.message);
      storage
        .recordEvent(event)
        .catch((error: unknown) =>
          log('warn', `could not record ${event.type}: ${(error as Error).message}`),
        );
    },
  });
  return { scheduler, store };
}
