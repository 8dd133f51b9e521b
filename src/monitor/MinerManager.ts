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
import { gateBreaker, transportBreakerName } from './gateBreaker.js';
import { breakerName, effectiveInterval, type MinerEntry, toView } from './MinerEntry.js';
import { MinerIndex } from './MinerIndex.js';
import { type PollerContext, pollMiner } from './MinerPoller.js';
import { addMiner, restartMiner } from './minerCommands.js';
import { fetchSend, type HttpSend, httpClientOf, httpClientSend } from './notifiers/httpSend.js';
import { NotificationDispatcher } from './notifiers/NotificationDispatcher.js';
import type { Notifier } from './notifiers/Notifier.js';
import { createNotifier, type NotifierConfig } from './notifiers/registry.js';
import { fetchJson, NetworkDifficulty } from './odds/NetworkDifficulty.js';
import { DEFAULT_BREAKER, type MinerManagerOptions } from './options.js';
import { checkIntervalMs as checkPollInterval, PollScheduler, type SchedulerStats } from './PollScheduler.js';
import { initialPolicyState } from './statusPolicy.js';
import { resolveThresholds, type StatusThresholds } from './thresholds.js';
import { type MonitorTimers, systemTimers, timersFromClock } from './timers.js';
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
import { checkUpdateInput } from './validateInput.js';

export interface MonitorStats {
  readonly scheduler: SchedulerStats;
  readonly notifications: ReturnType<NotificationDispatcher['stats']>;
  readonly alertWriteFailures: number;
  readonly backgroundFailures: number;
  readonly listenerErrors: number;
  readonly difficulty: ReturnType<NetworkDifficulty['stats']>;
}

function isTimers(clock: MinerManagerOptions['clock']): clock is MonitorTimers {
  return clock !== undefined && typeof (clock as MonitorTimers).setTimer === 'function';
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
  readonly #latenessListeners = new Set<PollLatenessListener>();
  #latenessListenerErrors = 0;
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
    this.timers =
      options.clock === undefined
        ? systemTimers
        : isTimers(options.clock)
          ? options.clock
          : timersFromClock(options.clock);
    this.random = options.random ?? Math.random;
    this.defaultIntervalMs = checkPollInterval(options.defaultIntervalMs ?? 10_000);
    this.thresholds = resolveThresholds(options.thresholds);
    this.alerts = new AlertEngine({
      storage: this.storage,
      onAlert: (action, alert) => this.#onAlert(action, alert),
      onError: () => undefined,
      ...(options.alerts ?? {}),
    });
    const notifiers = (options.notifiers ?? []).map(
      (item): Notifier =>
        typeof (item as Notifier).buildRequest === 'function'
          ? (item as Notifier)
          : createNotifier(item as NotifierConfig),
    );
    this.notifications = new NotificationDispatcher({
      notifiers,
      send: options.notificationSend ?? defaultSend(options.drivers),
      manager: this.retryManager,
      clock: this.timers,
      random: this.random,
    });
    const api = options.difficultyApi;
    this.difficulty = new NetworkDifficulty({
      clock: this.timers,
      ...(options.networkDifficulty === undefined ? {} : { configured: options.networkDifficulty }),
      ...(api === undefined
        ? {}
        : {
            api: {
              baseUrl: api.baseUrl,
              getJson: api.getJson ?? fetchJson,
              breaker: this.retryManager.getCircuitBreaker('difficulty_api', {
                failureThreshold: 3,
                recoveryTimeoutMs: 600_000,
              }),
              ...(api.refreshMs === undefined ? {} : { refreshMs: api.refreshMs }),
            },
          }),
    });
    this.scheduler = new PollScheduler((id, signal) => this.#pollOne(id, signal), {
      timers: this.timers,
      random: this.random,
      maxConcurrent: options.maxConcurrentPolls ?? 256,
      jitterRatio: options.jitterRatio ?? 0.1,
      onLateness: (ms, id) => this.#reportLateness(ms, id),
      onError: () => {
        this.#backgroundFailures += 1;
      },
    });
    this.#poller = {
      clock: this.timers,
      storage: this.storage,
      drivers: this.drivers,
      retryManager: this.retryManager,
      breakerConfig: this.breakerConfig,
      thresholds: this.thresholds,
      hub: this.hub,
      alerts: this.alerts,
      difficulty: this.difficulty,
      defaultIntervalMs: this.defaultIntervalMs,
      pollTimeoutMs: options.pollTimeoutMs ?? 5000,
      pollMaxAttempts: options.pollMaxAttempts ?? 1,
      restartPollMs: options.restart?.confirmPollMs ?? 2000,
      backfillAfterIntervals: options.backfillAfterIntervals ?? 3,
      track: (work) => this.track(work),
      reindex: (entry, previous) => this.index(entry, previous),
      isCurrent: (entry) => this.entries.get(entry.record.id) === entry,
      recordEvent: (minerId, type, severity, message, data) =>
        this.recordEvent(minerId, type, severity, message, data),
    };
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

  async updateMiner(id: string, patch: UpdateMinerInput): Promise<MinerView> {
    const entry = this.requireEntry(id);
    const checked = checkUpdateInput(patch);
    const record: MinerRecord = {
      ...entry.record,
      ...(checked.name === undefined ? {} : { name: checked.name }),
      ...(checked.intervalMs === undefined ? {} : { intervalMs: checked.intervalMs }),
      ...(checked.enabled === undefined ? {} : { enabled: checked.enabled }),
      updatedAt: this.timers.now(),
    };
    await this.storage.saveMinerConfig(record);
    const wasEnabled = entry.record.enabled;
    entry.record = record;
    const interval = effectiveInterval(record, this.defaultIntervalMs);
    if (record.enabled && !wasEnabled) this.scheduler.add(id, interval);
    else if (!record.enabled && wasEnabled) this.scheduler.remove(id);
    else if (record.enabled) this.scheduler.setInterval(id, interval);
    this.hub.emit({ type: 'miner', action: 'updated', minerId: id });
    return this.view(entry);
  }

  async removeMiner(id: string, options: { dropHistory?: boolean } = {}): Promise<boolean> {
    const entry = this.entries.get(id);
    if (entry === undefined) return false;
    this.scheduler.remove(id);
    this.entries.delete(id);
    this.unindex(entry.record);
    this.alerts.clearMiner(id, this.timers.now());
    this.retryManager.delete(breakerName(id));
    // The address's transport breaker goes too: addresses are unique per miner, and an open one
    // left behind would refuse the same device if it were added again.
    const transport = transportBreakerName(entry.record.kind, entry.record.host, entry.record.port);
    if (transport !== null) this.retryManager.delete(transport);
    await this.storage.deleteMiner(
      id,
      options.dropHistory === undefined ? {} : { dropHistory: options.dropHistory },
    );
    this.recordEvent(
      null,
      'miner_removed',
      'info',
      `Removed miner ${entry.record.name} (${entry.record.host}:${entry.record.port})`,
      { minerId: id },
    );
    this.hub.emit({ type: 'miner', action: 'removed', minerId: id });
    return true;
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
    this.#latenessListeners.add(listener);
    return () => {
      this.#latenessListeners.delete(listener);
    };
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
      listenerErrors: this.hub.listenerErrors + this.#latenessListenerErrors,
      difficulty: this.difficulty.stats(),
    };
  }

  // ---- shared with the command and discovery modules -------------------------------------------

  /** @internal */
  newEntry(record: MinerRecord, allTimeBest: number | null): MinerEntry {
    return {
      record,
      policy: initialPolicyState(allTimeBest),
      lastSample: null,
      lastSeenAt: null,
      lastPollAt: null,
      lastError: null,
      restart: null,
      restartWatch: null,
      lastRestartAt: null,
      checkGap: true,
    };
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
    const record = this.entries.get(id)?.record;
    const transport =
      record === undefined ? null : transportBreakerName(record.kind, record.host, record.port);
    return gateBreaker(this.retryManager, breakerName(id), transport);
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

  #reportLateness(ms: number, id: string): void {
    if (this.#latenessListeners.size === 0) return;
    for (const listener of this.#latenessListeners) {
      try {
        listener(ms, id);
      } catch {
        // A metrics hook must never stop the schedule; it is counted instead.
        this.#latenessListenerErrors += 1;
      }
    }
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

/** Notifications go through the drivers' shared HttpClient when there is one, else fetch. */
function defaultSend(drivers: DriverRegistryLike): HttpSend {
  const client = httpClientOf(drivers);
  return client === undefined ? fetchSend : httpClientSend(client);
}
