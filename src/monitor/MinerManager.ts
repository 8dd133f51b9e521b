/**
 * The monitor: the miners, their schedule, status, alerts, restarts, odds and discovery, behind
 * the `Monitor` interface the server and CLI use. It is given its collaborators (main.ts, or
 * createMonitor for tests and library users, builds them) and puts together its own parts: the
 * poller, the one place transitions are applied, and the commands. It owns timers and background
 * work, so it has `start()`/`stop()` and `Symbol.asyncDispose`; it does not own the storage.
 */

import type { MinerKind } from '../miners/MinerSample.js';
import type { CircuitBreaker, RetryManager } from '../resilience/index.js';
import type {
  AlertRecord,
  EventRecord,
  FleetPoint,
  MinerRecord,
  Series,
  SeriesQuery,
  Storage,
  StorageHealth,
} from '../storage/Storage.js';
import type { AlertEngine } from './AlertEngine.js';
import type { Background } from './Background.js';
import { persisted, restoreBreakers, saveBreakers } from './breakerPersistence.js';
import type { ControlTarget } from './control/ControlService.js';
import type { DriverRegistryLike } from './deps.js';
import { discoverMiners } from './discoverMiners.js';
import type { EventHub } from './EventHub.js';
import { EventLog } from './EventLog.js';
import type { Fleet } from './Fleet.js';
import { fleetSummary } from './fleetSummary.js';
import { MinerAdder } from './MinerAdder.js';
import { MinerEditor } from './MinerEditor.js';
import {
  breakerName,
  effectiveInterval,
  endpointOf,
  type MinerEntry,
  newEntry,
  toView,
} from './MinerEntry.js';
import { MinerPoller } from './MinerPoller.js';
import type { MonitorSettings } from './monitorSettings.js';
import type { NotificationDispatcher } from './notifiers/NotificationDispatcher.js';
import type { NetworkDifficulty } from './odds/NetworkDifficulty.js';
import type { PollOutcome, PollScheduler, SchedulerStats } from './PollScheduler.js';
import type { PollLatenessListeners } from './pollLateness.js';
import { Restarter } from './Restarter.js';
import type { ControlOutcome } from './state/MinerState.js';
import type { WatchdogSettings } from './state/settings.js';
import { Transitions } from './Transitions.js';
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

/** What the composition root builds and hands to the monitor. */
export interface MonitorParts {
  readonly storage: Storage;
  readonly drivers: DriverRegistryLike;
  readonly retryManager: RetryManager;
  readonly timers: MonitorTimers;
  readonly random: () => number;
  readonly hub: EventHub;
  readonly fleet: Fleet;
  readonly background: Background;
  readonly lateness: PollLatenessListeners;
  readonly alerts: AlertEngine;
  readonly notifications: NotificationDispatcher;
  readonly difficulty: NetworkDifficulty;
  /** Its poll function calls this manager's `poll`. */
  readonly scheduler: PollScheduler;
  readonly settings: MonitorSettings;
}

/** A change made here this recently may be missing from a list read meanwhile. */
const RECENT_EDIT_MS = 5000;

/**
 * True when the stored record is another instance's change rather than an older copy of this
 * one's: it differs, and it is newer, or this instance's own edit is too old to be missing from
 * the list (instances' clocks need not agree to the millisecond).
 */
function changedElsewhere(local: MinerRecord, stored: MinerRecord, listedAt: number): boolean {
  if (stored.updatedAt === local.updatedAt) return false;
  return stored.updatedAt > local.updatedAt || local.updatedAt < listedAt - RECENT_EDIT_MS;
}

export class MinerManager implements Monitor, AsyncDisposable {
  readonly storage: Storage;
  readonly retryManager: RetryManager;
  readonly alerts: AlertEngine;
  readonly notifications: NotificationDispatcher;
  readonly difficulty: NetworkDifficulty;
  readonly scheduler: PollScheduler;
  readonly settings: MonitorSettings;
  readonly #parts: MonitorParts;
  readonly #events: EventLog;
  readonly #poller: MinerPoller;
  readonly #restarter: Restarter;
  readonly #transitions: Transitions;
  readonly #editor: MinerEditor;
  readonly #adder: MinerAdder;
  #state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  #unsubscribeBreakers: (() => void) | null = null;
  #difficultyTimer: { cancel(): void } | null = null;
  #breakerSaveTimer: { cancel(): void } | null = null;
  #stopping: Promise<void> | null = null;

  constructor(parts: MonitorParts) {
    this.#parts = parts;
    const { storage, drivers, retryManager, timers, random, hub, fleet, background, scheduler, settings } =
      parts;
    this.storage = storage;
    this.retryManager = retryManager;
    this.alerts = parts.alerts;
    this.notifications = parts.notifications;
    this.difficulty = parts.difficulty;
    this.scheduler = scheduler;
    this.settings = settings;
    this.#events = new EventLog({ storage, hub, background, clock: timers });
    const transitions = new Transitions({
      storage,
      hub,
      alerts: parts.alerts,
      events: this.#events,
      background,
      clock: timers,
      settings: settings.reducer,
      onEffect: (entry, effect) => this.#restarter.heal(entry, effect.why),
    });
    this.#transitions = transitions;
    this.#restarter = new Restarter({
      fleet,
      drivers,
      transitions,
      scheduler,
      clock: timers,
      gate: (id) => this.breakerSummary(id),
      breakerOf: (id) => this.minerBreaker(id),
      settings: settings.restart,
    });
    this.#poller = new MinerPoller({
      fleet,
      drivers,
      retryManager,
      storage,
      transitions,
      difficulty: parts.difficulty,
      hub,
      events: this.#events,
      background,
      clock: timers,
      settings: settings.poll,
    });
    const common = { fleet, storage, scheduler, retryManager, events: this.#events, hub, clock: timers };
    this.#editor = new MinerEditor({
      ...common,
      alerts: parts.alerts,
      defaultIntervalMs: settings.defaultIntervalMs,
    });
    this.#adder = new MinerAdder({
      ...common,
      drivers,
      random,
      editor: this.#editor,
      idGenerator: settings.idGenerator,
      defaultIntervalMs: settings.defaultIntervalMs,
      verify: settings.verify,
    });
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  /** Initializes storage, restores breakers and open alerts, loads the miners and starts polling. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`MinerManager cannot start: it is ${this.#state}`);
    this.#state = 'starting';
    const { storage, retryManager, hub, fleet, background, settings, scheduler } = this.#parts;
    // Idempotent by contract of SqliteStorage, so main may have initialized it already.
    await storage.initialize();
    const failed = await restoreBreakers(storage, retryManager);
    for (let i = 0; i < failed; i += 1) background.fail();
    this.#unsubscribeBreakers = retryManager.onStateChange((event) => {
      hub.emit({ type: 'breaker', name: event.name, from: event.from, to: event.to, at: event.at });
      if (persisted(event.name)) this.#scheduleBreakerSave();
    });
    await this.alerts.restore();
    for (const record of await storage.listMiners()) {
      const best = await storage.getBestDifficulty(record.id);
      fleet.add(newEntry(record, best?.bestDifficulty ?? null));
      if (record.enabled) scheduler.add(record.id, effectiveInterval(record, settings.defaultIntervalMs));
    }
    scheduler.start();
    this.#state = 'running';
    this.#scheduleDifficultyRefresh(0);
  }

  /**
   * Brings the miner list in line with storage, for instances sharing one database: miners
   * another instance added are loaded and scheduled, miners it removed are dropped here (their
   * history is the other instance's to keep or drop), and a miner whose stored record another
   * instance changed (any field: name, interval, enabled, address, and whatever the record grows)
   * takes the stored record, its schedule following.
   */
  async reloadMiners(): Promise<{ added: number; removed: number; updated: number }> {
    if (this.#state !== 'running') return { added: 0, removed: 0, updated: 0 };
    const { storage, fleet, scheduler, settings, hub, timers } = this.#parts;
    const listedAt = timers.now();
    const records = await storage.listMiners();
    const stored = new Set<string>();
    let added = 0;
    let updated = 0;
    for (const record of records) {
      stored.add(record.id);
      const known = fleet.get(record.id);
      if (known !== undefined) {
        if (changedElsewhere(known.record, record, listedAt)) {
          this.#editor.adopt(known, record);
          updated += 1;
        }
        continue;
      }
      const best = await storage.getBestDifficulty(record.id);
      // An add of this very miner on this instance may have finished meanwhile.
      if (fleet.get(record.id) !== undefined) continue;
      fleet.add(newEntry(record, best?.bestDifficulty ?? null));
      if (record.enabled) scheduler.add(record.id, effectiveInterval(record, settings.defaultIntervalMs));
      hub.emit({ type: 'miner', action: 'added', minerId: record.id });
      added += 1;
    }
    let removed = 0;
    for (const entry of [...fleet.values()]) {
      const id = entry.record.id;
      // A miner added here after the list was read is not in it yet.
      if (stored.has(id) || entry.record.createdAt >= listedAt - 1000) continue;
      fleet.remove(id);
      scheduler.remove(id);
      hub.emit({ type: 'miner', action: 'removed', minerId: id });
      removed += 1;
    }
    return { added, removed, updated };
  }

  /** Waits for polls in flight, saves breaker state, flushes storage; leaves no timer behind. */
  /** The watchdog's settings in force (they may change while running: see WatchdogSwitch). */
  get watchdog(): WatchdogSettings {
    return this.#transitions.settings.watchdog;
  }

  setWatchdog(settings: WatchdogSettings): void {
    this.#transitions.setWatchdog(settings);
  }

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
    const { storage, retryManager, background, timers, settings } = this.#parts;
    const wasStarted = this.#state !== 'new';
    this.#state = 'stopping';
    this.#difficultyTimer?.cancel();
    this.#difficultyTimer = null;
    this.#breakerSaveTimer?.cancel();
    this.#breakerSaveTimer = null;
    await this.scheduler.stop(settings.stopGraceMs);
    await background.drain();
    await this.alerts.flush();
    await this.notifications.close();
    this.#unsubscribeBreakers?.();
    this.#unsubscribeBreakers = null;
    if (wasStarted) {
      await saveBreakers(storage, retryManager, timers.now()).catch(() => background.fail());
      await storage.flush();
    }
    this.#state = 'stopped';
  }

  /** Resolves once background work started so far (storage writes, backfill) has settled. */
  drainBackground(): Promise<void> {
    return this.#parts.background.drain();
  }

  /** One poll of one miner; the scheduler calls it. */
  poll(id: string, signal: AbortSignal): Promise<PollOutcome> {
    return this.#poller.poll(id, signal);
  }

  listMiners(): MinerView[] {
    return [...this.#parts.fleet.values()].map((entry) => this.#view(entry));
  }

  getMiner(id: string): MinerView | null {
    const entry = this.#parts.fleet.get(id);
    return entry === undefined ? null : this.#view(entry);
  }

  async addMiner(input: AddMinerInput, options: { signal?: AbortSignal } = {}): Promise<MinerView> {
    return this.#view(await this.#adder.add(input, options));
  }

  async updateMiner(id: string, patch: UpdateMinerInput, actor?: string): Promise<MinerView> {
    return this.#view(await this.#editor.update(id, patch, actor));
  }

  removeMiner(id: string, options: { dropHistory?: boolean } = {}): Promise<boolean> {
    return this.#editor.remove(id, options);
  }

  restartMiner(id: string, actor?: string): Promise<RestartStatus> {
    return this.#restarter.restart(id, actor);
  }

  series(id: string, query: SeriesQuery): Promise<Series> {
    this.#parts.fleet.require(id);
    return this.storage.querySeries(id, query);
  }

  fleet(): FleetSummary {
    const members = [...this.#parts.fleet.values()].map((entry) => ({
      id: entry.record.id,
      status: entry.record.enabled ? entry.state.status : ('disabled' as const),
      enabled: entry.record.enabled,
      lastSample: entry.lastSample,
      bestDifficulty: entry.state.allTimeBest,
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
    const { drivers, fleet, settings } = this.#parts;
    return discoverMiners(
      { drivers, fleet, editor: this.#editor, settings: settings.discovery },
      target,
      options,
    );
  }

  health(): Promise<StorageHealth> {
    return this.storage.health();
  }

  subscribe(listener: (event: MonitorEvent) => void): () => void {
    return this.#parts.hub.subscribe(listener);
  }

  onPollLateness(listener: PollLatenessListener): () => void {
    return this.#parts.lateness.add(listener);
  }

  /** Polls a miner as soon as a slot is free. */
  pollNow(id: string): void {
    this.#parts.fleet.require(id);
    this.scheduler.pollNow(id);
  }

  /** A miner as control needs it (address, driver control); MonitorError MINER_NOT_FOUND when unknown. */
  controlTarget(id: string): ControlTarget {
    const { record } = this.#parts.fleet.require(id);
    const driver = this.#parts.drivers.get(record.kind as MinerKind);
    return {
      id: record.id,
      name: record.name,
      endpoint: endpointOf(record),
      control: driver?.control ?? null,
    };
  }

  /** A control command's outcome, into the miner's state machine (which writes its event). */
  reportControl(minerId: string, outcome: ControlOutcome): void {
    const entry = this.#parts.fleet.get(minerId);
    if (entry !== undefined) this.#transitions.apply(entry, outcome);
  }

  stats(): MonitorStats {
    const { hub, lateness, background } = this.#parts;
    return {
      scheduler: this.scheduler.stats(),
      notifications: this.notifications.stats(),
      alertWriteFailures: this.alerts.writeFailures,
      backgroundFailures: background.failures,
      listenerErrors: hub.listenerErrors + lateness.errors,
      difficulty: this.difficulty.stats(),
    };
  }

  /**
   * The miner's one breaker, `miner_operations:<id>`: every call to the miner (polls, history,
   * restart, verification) goes through it, and the transports keep none of their own.
   */
  minerBreaker(id: string): CircuitBreaker {
    return this.retryManager.getCircuitBreaker(breakerName(id), this.settings.breaker);
  }

  /** The miner's breaker as the view shows it; null until the first call made one. */
  breakerSummary(id: string): BreakerSummary | null {
    const name = breakerName(id);
    if (!this.retryManager.has(name)) return null;
    const stats = this.retryManager.getCircuitBreaker(name).stats();
    return { name, state: stats.state, failureCount: stats.failureCount, nextAttemptAt: stats.nextAttemptAt };
  }

  #view(entry: MinerEntry): MinerView {
    return toView(entry, this.settings.defaultIntervalMs, this.breakerSummary(entry.record.id));
  }

  /**
   * Saves breaker state shortly after a change, coalescing bursts, so a crash (not only a clean
   * stop) leaves the dead miners backed off when the monitor comes back.
   */
  #scheduleBreakerSave(): void {
    if (this.#breakerSaveTimer !== null || this.#state !== 'running') return;
    const { timers, background, storage, retryManager } = this.#parts;
    this.#breakerSaveTimer = timers.setTimer(() => {
      this.#breakerSaveTimer = null;
      background.track(saveBreakers(storage, retryManager, timers.now()));
    }, 1000);
  }

  #scheduleDifficultyRefresh(delayMs: number): void {
    const refreshMs = this.settings.difficultyRefreshMs;
    if (refreshMs === null || this.#state !== 'running') return;
    const { timers, background } = this.#parts;
    this.#difficultyTimer = timers.setTimer(() => {
      this.#difficultyTimer = null;
      background.track(this.difficulty.refresh().finally(() => this.#scheduleDifficultyRefresh(refreshMs)));
    }, delayMs);
  }
}
