/**
 * One poll of one miner, start to finish: the device call (through the miner's breaker, or
 * straight while a restart is being confirmed, when failures are expected and prove nothing),
 * the sample's storage and identity, and the transition it makes.
 */
import type { CallOptions, MinerDriver } from '../miners/MinerDriver.js';
import type { MinerSample } from '../miners/MinerSample.js';
import { type CircuitBreakerConfig, isCircuitOpenError, type RetryManager } from '../resilience/index.js';
import type { Storage } from '../storage/Storage.js';
import type { Background } from './Background.js';
import { historyToRecords, needsBackfill } from './backfill.js';
import { messageOf } from './classifyError.js';
import type { DriverRegistryLike } from './deps.js';
import type { EventHub } from './EventHub.js';
import type { EventLog } from './EventLog.js';
import type { Fleet } from './Fleet.js';
import { pollError } from './loginRefusal.js';
import { breakerName, effectiveInterval, endpointOf, type MinerEntry } from './MinerEntry.js';
import type { NetworkDifficulty } from './odds/NetworkDifficulty.js';
import type { PollOutcome } from './PollScheduler.js';
import { reuseUnchanged } from './reuseUnchanged.js';
import { sampleToRecord } from './sampleRecord.js';
import type { MinerInput } from './state/MinerState.js';
import type { Transitions } from './Transitions.js';
import type { MonitorClock } from './timers.js';

export interface PollSettings {
  readonly defaultIntervalMs: number;
  readonly pollTimeoutMs: number;
  readonly pollMaxAttempts: number;
  /** Poll spacing while a restart is being confirmed. */
  readonly restartPollMs: number;
  /** A stored-sample gap longer than this many intervals is backfilled. */
  readonly backfillAfterIntervals: number;
  readonly breaker: Partial<CircuitBreakerConfig>;
}

export interface MinerPollerDeps {
  readonly fleet: Fleet;
  readonly drivers: DriverRegistryLike;
  readonly retryManager: RetryManager;
  readonly storage: Storage;
  readonly transitions: Transitions;
  readonly difficulty: NetworkDifficulty;
  readonly hub: EventHub;
  readonly events: EventLog;
  readonly background: Background;
  readonly clock: MonitorClock;
  readonly settings: PollSettings;
}

export class MinerPoller {
  readonly #deps: MinerPollerDeps;

  constructor(deps: MinerPollerDeps) {
    this.#deps = deps;
  }

  async poll(id: string, signal: AbortSignal): Promise<PollOutcome> {
    const { fleet, drivers, retryManager, clock, settings } = this.#deps;
    const entry = fleet.get(id);
    if (entry === undefined) return {};
    entry.lastPollAt = clock.now();
    const driver = drivers.get(entry.record.kind as MinerSample['kind']);
    const options: CallOptions = {
      signal,
      timeoutMs: settings.pollTimeoutMs,
      maxAttempts: settings.pollMaxAttempts,
    };
    let input: MinerInput;
    let sample: MinerSample | null = null;
    try {
      if (driver === undefined) throw new Error(`No driver for kind ${JSON.stringify(entry.record.kind)}`);
      const read = (): Promise<MinerSample> =>
        driver.readSample(endpointOf(entry.record), options).catch((error: unknown) => {
          throw pollError(entry.record, error);
        });
      const raw =
        entry.state.restartWatch !== null
          ? await read()
          : await retryManager.getCircuitBreaker(breakerName(id), settings.breaker).execute(read);
      // The driver stamps the sample with the registry's clock (the app passes the same one); a
      // copy here would double the largest allocation of every poll. Fresh from the driver, it
      // may still be changed: what did not change since the last poll is shared with it.
      sample = reuseUnchanged(entry.lastSample, raw);
      const { mac } = entry.record;
      if (mac !== null && sample.mac !== null && sample.mac !== mac) {
        const other = sample.mac;
        sample = null;
        throw new Error(
          `a different miner (MAC ${other}) now answers at ${entry.record.host}:${entry.record.port}`,
        );
      }
      input = { kind: 'sample', sample };
    } catch (error) {
      // Stopping: the result of an aborted poll says nothing about the miner.
      if (signal.aborted) return {};
      input = isCircuitOpenError(error)
        ? { kind: 'breaker_refused', retryAfterMs: error.retryAfterMs }
        : { kind: 'poll_failed', message: messageOf(error) };
    }
    // Removed while the device was answering: its answer belongs to nobody now.
    if (!fleet.isCurrent(entry)) return {};
    if (sample !== null && entry.checkGap && driver !== undefined) {
      entry.checkGap = false;
      await this.#seedFromHistory(entry, driver, signal);
    }
    if (sample !== null) this.#keepSample(entry, sample);
    // While the breaker holds polls back, the failure that opened it (a refused login, say) is
    // still the reason to show.
    else
      entry.lastError =
        input.kind === 'poll_failed' ? input.message : (entry.lastError ?? 'circuit breaker open');
    this.#deps.transitions.apply(entry, input);
    if (sample !== null) this.#deps.hub.emit({ type: 'sample', minerId: id, sample });
    return entry.state.restartWatch === null ? {} : { nextDelayMs: settings.restartPollMs };
  }

  #keepSample(entry: MinerEntry, sample: MinerSample): void {
    const { storage, difficulty, background, clock, fleet } = this.#deps;
    const now = clock.now();
    entry.lastSample = sample;
    entry.lastSeenAt = now;
    entry.lastError = null;
    difficulty.observe(sample.networkDifficulty, now);
    background.track(storage.saveMetrics([sampleToRecord(entry.record.id, sample)]));
    // A miner added without its MAC (or hostname) gets them from its first answer.
    const { record } = entry;
    const mac = record.mac ?? sample.mac;
    const hostname = record.hostname ?? sample.hostname;
    if (mac === record.mac && hostname === record.hostname) return;
    fleet.setRecord(entry, { ...record, mac, hostname, updatedAt: now });
    background.track(storage.saveMinerConfig(entry.record));
  }

  /**
   * First answer since the monitor started: pick up where the stored history ends, so a reboot
   * while we were down is still noticed, and fill the gap from the device's own ring buffer.
   */
  async #seedFromHistory(entry: MinerEntry, driver: MinerDriver, signal: AbortSignal): Promise<void> {
    const { storage, clock, settings, retryManager, background, events } = this.#deps;
    const id = entry.record.id;
    let latest: Awaited<ReturnType<Storage['latestMetric']>>;
    try {
      latest = await storage.latestMetric(id);
    } catch {
      return;
    }
    if (latest === null) return;
    this.#deps.transitions.apply(entry, {
      kind: 'restored',
      at: latest.timestamp,
      uptimeS: latest.uptimeS,
      sessionBest: latest.sessionBestDifficulty,
    });
    const now = clock.now();
    const interval = effectiveInterval(entry.record, settings.defaultIntervalMs);
    if (
      driver.readHistory === undefined ||
      !needsBackfill(latest.timestamp, now, interval, settings.backfillAfterIntervals)
    ) {
      return;
    }
    const readHistory = driver.readHistory.bind(driver);
    const after = latest.timestamp;
    const work = (async () => {
      const points = await retryManager.getCircuitBreaker(breakerName(id), settings.breaker).execute(() =>
        readHistory(endpointOf(entry.record), {
          signal,
          timeoutMs: settings.pollTimeoutMs * 2,
          maxAttempts: 1,
        }),
      );
      const records = historyToRecords(id, points, after, now);
      if (records.length === 0) return;
      await storage.saveMetrics(records);
      events.record(
        id,
        'backfilled',
        'info',
        `Filled a ${Math.round((now - after) / 60_000)} min gap with ${records.length} points from the miner's own history`,
        { points: records.length, from: after, to: now },
      );
    })().catch(() => undefined);
    background.track(work);
  }
}
