/**
 * Restarting a miner, for a user or for the watchdog: the checks (in progress, cooldown, breaker,
 * enabled), the command sent once (again only when nothing went out), and the inputs that tell
 * the state machine about it. Confirmation comes later, from the polls (the uptime resets).
 */

import { failedBeforeSending } from '../miners/index.js';
import type { MinerDriver } from '../miners/MinerDriver.js';
import type { MinerKind } from '../miners/MinerSample.js';
import { type CircuitBreaker, isCircuitOpenError, retry } from '../resilience/index.js';
import { isUnreachable, messageOf } from './classifyError.js';
import type { DriverRegistryLike } from './deps.js';
import { MonitorError } from './errors.js';
import type { Fleet } from './Fleet.js';
import { endpointOf, type MinerEntry } from './MinerEntry.js';
import type { PollScheduler } from './PollScheduler.js';
import type { RestartOrigin } from './state/MinerState.js';
import type { Transitions } from './Transitions.js';
import type { MonitorClock } from './timers.js';
import type { BreakerSummary, RestartStatus } from './types.js';

export interface RestartSettings {
  /** A user's second restart sooner than this is refused. */
  readonly cooldownMs: number;
  /** Sends of the command when the connection failed before anything was sent. */
  readonly maxSendAttempts: number;
  readonly timeoutMs: number;
}

export interface RestarterDeps {
  readonly fleet: Fleet;
  readonly drivers: DriverRegistryLike;
  readonly transitions: Transitions;
  readonly scheduler: Pick<PollScheduler, 'pollNow'>;
  readonly clock: MonitorClock;
  /** The miner's breaker as the view shows it, or null while it has none. */
  readonly gate: (id: string) => BreakerSummary | null;
  /** The miner's one breaker, `miner_operations:<id>`, which the command goes through. */
  readonly breakerOf: (id: string) => CircuitBreaker;
  readonly settings: RestartSettings;
}

export class Restarter {
  readonly #deps: RestarterDeps;

  constructor(deps: RestarterDeps) {
    this.#deps = deps;
  }

  /** A user's restart: refused with a MonitorError naming why, else sent. */
  async restart(id: string, actor?: string): Promise<RestartStatus> {
    const entry = this.#deps.fleet.require(id);
    const driver = this.#check(entry, 'user');
    await this.#send(entry, driver, 'user', null, actor);
    return entry.state.restart as RestartStatus;
  }

  /**
   * The watchdog's restart: the same checks and command, but a refusal or failure is an event and
   * an alert (from the state machine), never an exception, and an open breaker means "not now".
   */
  heal(entry: MinerEntry, why: string): void {
    let driver: MinerDriver;
    try {
      driver = this.#check(entry, 'watchdog');
    } catch {
      return;
    }
    this.#send(entry, driver, 'watchdog', why).catch(() => undefined);
  }

  #check(entry: MinerEntry, by: RestartOrigin): MinerDriver {
    const { clock, settings, gate, drivers } = this.#deps;
    const id = entry.record.id;
    const now = clock.now();
    const { state, record } = entry;
    if (state.command !== null || state.restartWatch !== null) {
      throw new MonitorError(
        'RESTART_IN_PROGRESS',
        `A restart of ${record.name} is already being confirmed`,
        {
          minerId: id,
        },
      );
    }
    const last = state.restartsAt.at(-1);
    if (by === 'user' && last !== undefined && now - last < settings.cooldownMs) {
      const retryAfterMs = last + settings.cooldownMs - now;
      throw new MonitorError(
        'RESTART_COOLDOWN',
        `${record.name} was restarted ${Math.round((now - last) / 1000)} s ago; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
        { minerId: id, retryAfterMs },
      );
    }
    const breaker = gate(id);
    if (breaker !== null && breaker.state === 'open') {
      const retryAfterMs = Math.max(0, (breaker.nextAttemptAt ?? now) - now);
      throw new MonitorError(
        'BREAKER_OPEN',
        `${record.name} is not answering: circuit breaker ${breaker.name} is open; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
        { minerId: id, retryAfterMs },
      );
    }
    if (!record.enabled) {
      throw new MonitorError(
        'INVALID_INPUT',
        `Polling of ${record.name} is disabled; enable it so the restart can be confirmed`,
        { minerId: id },
      );
    }
    const driver = drivers.get(record.kind as MinerKind);
    if (driver === undefined) {
      throw new MonitorError('INVALID_INPUT', `No driver for kind ${record.kind}`, { minerId: id });
    }
    return driver;
  }

  async #send(
    entry: MinerEntry,
    driver: MinerDriver,
    by: RestartOrigin,
    why: string | null,
    actor?: string,
  ): Promise<void> {
    const { transitions, scheduler } = this.#deps;
    transitions.apply(entry, {
      kind: 'command_sent',
      command: 'restart',
      by,
      why,
      ...(actor === undefined ? {} : { actor }),
    });
    let detail: string;
    try {
      detail = await this.#sendOnce(entry, driver);
    } catch (error) {
      transitions.apply(entry, {
        kind: 'command_outcome',
        command: 'restart',
        ok: false,
        detail: messageOf(error),
      });
      throw error;
    }
    transitions.apply(entry, { kind: 'command_outcome', command: 'restart', ok: true, detail });
    scheduler.pollNow(entry.record.id);
  }

  /**
   * Sends the command through the miner's one breaker. It is sent again only when the connection
   * failed before anything went out (the transport's `failedBeforeSending`); a timeout or dropped
   * connection after sending may mean the device got it, so the uptime decides instead of a
   * second, possibly double, restart.
   */
  async #sendOnce(entry: MinerEntry, driver: MinerDriver): Promise<string> {
    const { clock, settings, breakerOf } = this.#deps;
    const { record } = entry;
    const endpoint = endpointOf(record);
    let result: Awaited<ReturnType<MinerDriver['restart']>>;
    try {
      result = await retry(
        () => driver.restart(endpoint, { maxAttempts: 1, timeoutMs: settings.timeoutMs }),
        {
          circuitBreaker: breakerOf(record.id),
          isRetryable: failedBeforeSending,
          maxAttempts: settings.maxSendAttempts,
          baseDelayMs: 500,
          jitter: 'none',
          clock,
        },
      );
    } catch (error) {
      // Refused before anything went out (a breaker opened since the check, or its one half-open
      // trial is taken): nothing was sent, so there is nothing to watch for.
      if (isCircuitOpenError(error)) {
        const retryAfterMs = error.retryAfterMs;
        throw new MonitorError(
          'BREAKER_OPEN',
          `${record.name} is not answering: circuit breaker ${error.breakerName} is open; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
          { cause: error, minerId: record.id, retryAfterMs },
        );
      }
      if (failedBeforeSending(error)) {
        throw new MonitorError(
          'MINER_UNREACHABLE',
          `Could not reach ${record.name} to restart it: ${messageOf(error)}`,
          { cause: error, minerId: record.id },
        );
      }
      if (isUnreachable(error))
        return `no clear answer (${messageOf(error)}); watching the uptime to confirm`;
      throw new MonitorError(
        'MINER_UNREACHABLE',
        `${record.name} did not accept the restart: ${messageOf(error)}`,
        {
          cause: error,
          minerId: record.id,
        },
      );
    }
    if (!result.accepted) {
      throw new MonitorError('MINER_UNREACHABLE', `${record.name} refused the restart: ${result.detail}`, {
        minerId: record.id,
      });
    }
    return result.detail;
  }
}
