/**
 * The monitor: the miners, their schedule, status, alerts, restarts, odds and discovery, behind
 * the `Monitor` interface the server and CLI use. It owns timers and background work, so it has
 * `start()`/`stop()` and `Symbol.asyncDispose`; it does not own the storage it is given.
 */
import { retryManager as globalRetryManager, type RetryManager } from '../resilience/index.js';
import type {
  AlertRecord,
  EventRecord,
  FleetPoint,
  MinerRecord,
  Series,
  SeriesQuery,
  Severity,
  Storage,
  StorageHealth,
} from '../storage/Storage.js';
import { AlertEngine } from './AlertEngine.js';
import { persisted, restoreBreakers, saveBreakers } from './breakerPersistence.js';
import type { DriverRegistryLike } from './deps.js';
import { discoverMiners } from './discoverMiners.js';
import { EventHub } from './EventHub.js';
import { MonitorError } from './errors.js';
import { fleetSummary } from './fleetSummary.js';
import { minerGateBreaker } from './gateBreaker.js';
import { effectiveInterval, type MinerEntry, newEntry, toView } from './MinerEntry.js';
import { MinerIndex } from './MinerIndex.js';
import { type PollerContext, pollMiner } from './MinerPoller.js';
import { createDifficulty, createNotifications, pollerContext, resolveTimers } from './managerWiring.js';
import { addMiner, restartMiner } from './minerCommands.js';
import { removeMiner, updateMiner } from './minerEdits.js';
import type { NotificationDispatcher } from './notifiers/NotificationDispatcher.js';
import type { NetworkDifficulty } from './odds/NetworkDifficulty.js';
import { DEFAULT_BREAKER, DEFAULT_MAX_CONCURRENT_POLLS, type MinerManagerOptions } from './options.js';
import { checkIntervalMs as checkPollInterval, PollScheduler, type SchedulerStats } from './PollScheduler.js';
import { PollLatenessListeners } from './pollLateness.js';
import { resolveThresholds, type StatusThresholds } from './thresholds.js';
import type { MonitorTimers } from './timers.js';
import type {
  AddMinerInput,
  BreakerSummary,
  DiscoveredMiner,
  DiscoverProgress,
  FleetSummary,
  MinerView,
  Monitor,
  MonitorEvent,
  PollLatenessListener,
  RestartStatus,
  UpdateMinerInput,
} from './types.js';

export interface MonitorStats {
  readonly scheduler: SchedulerStats;
  readonly notifications: ReturnType<NotificationDispatcher['stats']>;
  readonly alertWriteFailures: number;
  readonly backgroundFailures: number;
  readonly listenerErrors: number;
  readonly difficulty: ReturnType<NetworkDifficulty['stats']>;
}

export class MinerManager implements Monitor, AsyncDisposable {
  readonly storage: Storage;
  readonly drivers: DriverRegistryLike;
  readonly retryManager: RetryManager;
  readonly timers: MonitorTimers;
  readonly random: () => number;
  readonly defaultIntervalMs: number;
  readonly thresholds: StatusThresholds;
  readonly options: MinerManagerOptions;
  readonly entries = new Map<string, MinerEntry>();
  readonly #index = new MinerIndex();
  readonly hub = new EventHub();
  readonly alerts: AlertEngine;
  readonly notifications: NotificationDispatcher;
  readonly difficulty: NetworkDifficulty;
  readonly scheduler: PollScheduler;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #lateness = new PollLatenessListeners();
  readonly #poller: PollerContext;
  #backgroundFailures = 0;
  #state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  #unsubscribeBreakers: (() => void) | null = null;
  #difficultyTimer: { cancel(): void } | null = null;
  #breakerSaveTimer: { cancel(): void } | null = null;
  #stopping: Promise<void> | null = null;

  constructor(options: MinerManagerOptions) {
    if (options?.storage === undefined || options.drivers === undefined) {
      throw new TypeError('MinerManager needs `storage` and `drivers`');
    }
    this.options = options;
    this.storage = options.storage;
    this.drivers = options.drivers;
    this.retryManager = options.retryManager ?? globalRetryManager;
    this.timers = resolveTimers(options.clock);
    this.random = options.random ?? Math.random;
    this.defaultIntervalMs = checkPollInterval(options.defaultIntervalMs ?? 10_000);
    this.thresholds = resolveThresholds(options.thresholds);
    this.alerts = new AlertEngine({
      storage: this.storage,
      onAlert: (action, alert) => this.#onAlert(action, alert),
      onError: () => undefined,
      ...(options.alerts ?? {}),
    });
    this.notifications = createNotifications(options, this.retryManager, this.timers, this.random);
    this.difficulty = createDifficulty(options, this.retryManager, this.timers);
    this.scheduler = new PollScheduler((id, signal) => this.#pollOne(id, signal), {
      timers: this.timers,
      random: this.random,
      maxConcurrent: options.maxConcurrentPolls ?? DEFAULT_MAX_CONCURRENT_POLLS,
      jitterRatio: options.jitterRatio ?? 0.1,
      onLateness: (ms, id) => this.#lateness.report(ms, id),
      onError: () => {
        this.#backgroundFailures += 1;
      },
    });
    this.#poller = pollerContext(this);
  }

  get breakerConfig(): Partial<import('../resilience/index.js').CircuitBreakerConfig> {
    return { ...DEFAULT_BREAKER, ...(this.options.breaker ?? {}) };
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  /** Initializes storage, restores breakers and open alerts, loads the miners and starts polling. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`MinerManager cannot start: it is ${this.#state}`);
    this.#state = 'starting';
    // Idempotent by contract of SqliteStorage, so main may have initialized it already.
    await this.storage.initialize();
    this.#backgroundFailures += await restoreBreakers(this.storage, this.retryManager);
    this.#unsubscribeBreakers = this.retryManager.onStateChange((event) => {
      this.hub.emit({ type: 'breaker', name: event.name, from: event.from, to: event.to, at: event.at });
      if (persisted(event.name)) this.#scheduleBreakerSave();
    });
    await this.alerts.restore();
    for (const record of await this.storage.listMiners()) {
      const best = await this.storage.getBestDifficulty(record.id);
      const entry = this.newEntry(record, best?.bestDifficulty ?? null);
      this.entries.set(record.id, entry);
      this.index(entry);
      if (record.enabled) this.scheduler.add(record.id, effectiveInterval(record, this.defaultIntervalMs));
    }
    this.scheduler.start();
    this.#state = 'running';
    this.#scheduleDifficultyRefresh(0);
  }

  /** Waits for polls in flight, saves breaker state, flushes storage; leaves no timer behind. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  close(): Promise<void> {
    return this.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  async #stop(): Promise<void> {
    const wasStarted = this.#state !== 'new';
    this.#state = 'stopping';
    this.#difficultyTimer?.cancel();
    this.#difficultyTimer = null;
    this.#breakerSaveTimer?.cancel();
    this.#breakerSaveTimer = null;
    await this.scheduler.stop(this.options.stopGraceMs ?? 10_000);
    await this.drainBackground();
    await this.alerts.flush();
    await this.notifications.close();
    this.#unsubscribeBreakers?.();
    this.#unsubscribeBreakers = null;
    if (wasStarted) {
      await saveBreakers(this.storage, this.retryManager, this.timers.now()).catch(() => {
        this.#backgroundFailures += 1;
      });
      await this.storage.flush();
    }
    this.#state = 'stopped';
  }

  listMiners(): MinerView[] {
    return [...this.entries.values()].map((entry) => this.view(entry));
  }

  getMiner(id: string): MinerView | null {
    const entry = this.entries.get(id);
    return entry === undefined ? null : this.view(entry);
  }

  addMiner(input: AddMinerInput, options: { signal?: AbortSignal } = {}): Promise<MinerView> {
    return addMiner(this, input, options);
  }

  updateMiner(id: string, patch: UpdateMinerInput): Promise<MinerView> {
    return updateMiner(this, id, patch);
  }

  removeMiner(id: string, options: { dropHistory?: boolean } = {}): Promise<boolean> {
    return removeMiner(this, id, options);
  }

  restartMiner(id: string): Promise<RestartStatus> {
    return restartMiner(this, id);
  }

  series(id: string, query: SeriesQuery): Promise<Series> {
    this.requireEntry(id);
    return this.storage.querySeries(id, query);
  }

  fleet(): FleetSummary {
    const members = [...this.entries.values()].map((entry) => ({
      id: entry.record.id,
      status: entry.record.enabled ? entry.policy.status : ('disabled' as const),
      enabled: entry.record.enabled,
      lastSample: entry.lastSample,
      bestDifficulty: entry.policy.allTimeBest,
    }));
    return fleetSummary(members, this.difficulty.current());
  }

  fleetSeries(query: SeriesQuery): Promise<FleetPoint[]> {
    return this.storage.queryFleetSeries(query);
  }

  listAlerts(query: { openOnly?: boolean; limit?: number } = {}): Promise<AlertRecord[]> {
    return this.storage.listAlerts(query);
  }

  listEvents(query: { minerId?: string; limit?: number } = {}): Promise<EventRecord[]> {
    return this.storage.listEvents(query);
  }

  discover(
    target: string,
    options: { signal?: AbortSignal; onProgress?: (progress: DiscoverProgress) => void } = {},
  ): Promise<DiscoveredMiner[]> {
    return discoverMiners(this, target, options);
  }

  health(): Promise<StorageHealth> {
    return this.storage.health();
  }

  subscribe(listener: (event: MonitorEvent) => void): () => void {
    return this.hub.subscribe(listener);
  }

  onPollLateness(listener: PollLatenessListener): () => void {
    return this.#lateness.add(listener);
  }

  /** Polls a miner as soon as a slot is free. */
  pollNow(id: string): void {
    this.requireEntry(id);
    this.scheduler.pollNow(id);
  }

  stats(): MonitorStats {
    return {
      scheduler: this.scheduler.stats(),
      notifications: this.notifications.stats(),
      alertWriteFailures: this.alerts.writeFailures,
      backgroundFailures: this.#backgroundFailures,
      listenerErrors: this.hub.listenerErrors + this.#lateness.errors,
      difficulty: this.difficulty.stats(),
    };
  }

  // ---- shared with the command and discovery modules -------------------------------------------

  /** @internal */
  newEntry(record: MinerRecord, allTimeBest: number | null): MinerEntry {
    return newEntry(record, allTimeBest);
  }

  /** @internal Indexes the entry by address and MAC, replacing its old record's place. */
  index(entry: MinerEntry, previous: MinerRecord | null = null): void {
    this.#index.set(entry.record, previous);
  }

  /** @internal */
  unindex(record: MinerRecord): void {
    this.#index.delete(record);
  }

  /** @internal */
  findByAddress(host: string, port: number): MinerEntry | undefined {
    const id = this.#index.idByAddress(host, port);
    return id === undefined ? undefined : this.entries.get(id);
  }

  /** @internal */
  findByMac(mac: string): MinerEntry | undefined {
    const id = this.#index.idByMac(mac);
    return id === undefined ? undefined : this.entries.get(id);
  }

  /** @internal */
  requireEntry(id: string): MinerEntry {
    const entry = this.entries.get(id);
    if (entry === undefined)
      throw new MonitorError('MINER_NOT_FOUND', `No miner with id ${JSON.stringify(id)}`, { minerId: id });
    return entry;
  }

  /** @internal */
  view(entry: MinerEntry): MinerView {
    return toView(entry, this.defaultIntervalMs, this.breakerSummary(entry.record.id));
  }

  /**
   * @internal The breaker that gates the miner: the worse of its own and its transport's (see
   * gateBreaker.ts), so a dead miner shows (and a restart sees) whichever of the two opened.
   */
  breakerSummary(id: string): BreakerSummary | null {
    return minerGateBreaker(this.retryManager, id, this.entries.get(id)?.record);
  }

  /** @internal Records an event in storage (in the background) and emits it. */
  recordEvent(
    minerId: string | null,
    type: string,
    severity: Severity,
    message: string,
    data: Record<string, unknown> = {},
  ): void {
    const event: EventRecord = { minerId, type, severity, message, timestamp: this.timers.now(), data };
    this.hub.emit({ type: 'event', event });
    this.track(this.storage.recordEvent(event));
  }

  /** @internal Background work that `stop()` waits for; its failure is counted, never thrown. */
  track(work: Promise<unknown>): void {
    const tracked = work
      .catch(() => {
        this.#backgroundFailures += 1;
      })
      .finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  /** @internal */
  async drainBackground(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** @internal */
  get state(): string {
    return this.#state;
  }

  async #pollOne(id: string, signal: AbortSignal) {
    const entry = this.entries.get(id);
    if (entry === undefined) return {};
    return pollMiner(this.#poller, entry, signal);
  }

  #onAlert(action: 'opened' | 'reminder' | 'cleared', alert: AlertRecord): void {
    this.hub.emit({ type: 'alert', action, alert });
    const minerName = alert.minerId === null ? null : (this.entries.get(alert.minerId)?.record.name ?? null);
    this.notifications.dispatch({ action, alert, minerName });
  }

  /**
   * Saves breaker state shortly after a change, coalescing bursts, so a crash (not only a clean
   * stop) leaves the dead miners backed off when the monitor comes back.
   */
  #scheduleBreakerSave(): void {
    if (this.#breakerSaveTimer !== null || this.#state !== 'running') return;
    this.#breakerSaveTimer = this.timers.setTimer(() => {
      this.#breakerSaveTimer = null;
      this.track(saveBreakers(this.storage, this.retryManager, this.timers.now()));
    }, 1000);
  }

  #scheduleDifficultyRefresh(delayMs: number): void {
    if (this.options.difficultyApi === undefined || this.#state !== 'running') return;
    this.#difficultyTimer = this.timers.setTimer(() => {
      this.#difficultyTimer = null;
      this.track(
        this.difficulty
          .refresh()
          .finally(() => this.#scheduleDifficultyRefresh(this.options.difficultyApi?.refreshMs ?? 3_600_000)),
      );
    }, delayMs);
  }
}
