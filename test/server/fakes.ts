/** An in-memory Monitor and breaker registry, so the API can be tested without devices or a database. */
import type { MinerSample } from '../../src/miners/MinerSample.js';
import { MonitorError } from '../../src/monitor/errors.js';
import type {
  AddMinerInput,
  DiscoveredMiner,
  DiscoverProgress,
  FleetSummary,
  MinerView,
  Monitor,
  MonitorEvent,
  PollLatenessListener,
  RestartStatus,
  UpdateMinerInput,
} from '../../src/monitor/types.js';
import type { BreakerRegistry, BreakerStatsLike } from '../../src/server/deps.js';
import type {
  AlertRecord,
  EventRecord,
  FleetPoint,
  Series,
  SeriesQuery,
  StorageHealth,
} from '../../src/storage/Storage.js';

export const NOW = 1_790_000_000_000;

export function sample(overrides: Partial<MinerSample> = {}): MinerSample {
  return {
    timestamp: NOW,
    kind: 'axeos',
    hashrateGhs: 1200,
    expectedHashrateGhs: 1250,
    temperatureC: 55,
    maxChipTemperatureC: 58,
    chipTemperaturesC: [55],
    vrTemperatureC: 60,
    boardTemperaturesC: [],
    chipTempLimitC: null,
    vrTempLimitC: null,
    powerW: 18,
    inputVoltageV: 5.1,
    currentA: 3.5,
    fanRpm: [4000],
    fanPercent: 60,
    sharesAccepted: 1000,
    sharesRejected: 3,
    rejectReasons: [],
    bestDifficulty: 4.2e9,
    sessionBestDifficulty: 1e8,
    uptimeS: 3600,
    poolUrl: 'stratum+tcp://solo.example:3333',
    poolUser: 'bc1qexample.worker',
    poolDifficulty: 1000,
    firmware: 'v2.12.0',
    asicModel: 'BM1370',
    deviceModel: 'Gamma',
    hostname: 'bitaxe',
    mac: 'AA:BB:CC:DD:EE:01',
    networkDifficulty: 1.2e14,
    blockHeight: 900000,
    blocksFound: 0,
    resetReason: null,
    backfilled: false,
    raw: { someVendorField: 'kept' },
    warnings: [],
    ...overrides,
  };
}

export function minerView(id: string, overrides: Partial<MinerView> = {}): MinerView {
  return {
    id,
    name: `miner ${id}`,
    host: '10.0.0.5',
    port: 80,
    kind: 'axeos',
    mac: 'AA:BB:CC:DD:EE:01',
    hostname: 'bitaxe',
    enabled: true,
    tags: [],
    hasCredentials: false,
    intervalMs: 10_000,
    status: 'online',
    statusReason: null,
    lastSeenAt: NOW,
    lastPollAt: NOW,
    lastError: null,
    lastSample: sample(),
    breaker: { name: `miner_operations:${id}`, state: 'closed', failureCount: 0, nextAttemptAt: null },
    bestDifficulty: 4.2e9,
    restart: null,
    createdAt: NOW - 1000,
    ...overrides,
  };
}

/** Makes the next call of the named method fail with this error. */
type Failable = 'addMiner' | 'restartMiner' | 'discover' | 'updateMiner';

export class FakeMonitor implements Monitor {
  readonly miners = new Map<string, MinerView>();
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly failNext = new Map<Failable, Error>();
  health_: StorageHealth = {
    ok: true,
    detail: 'ok',
    stats: {
      queued: 0,
      maxQueued: 10_000,
      accepted: 10,
      written: 10,
      dropped: 0,
      flushes: 1,
      flushFailures: 0,
      lastFlushAt: NOW,
      lastError: null,
      available: true,
    },
  };
  readonly #listeners = new Set<(event: MonitorEvent) => void>();
  readonly #latenessListeners = new Set<PollLatenessListener>();
  #next = 1;

  get listenerCount(): number {
    return this.#listeners.size;
  }

  emit(event: MonitorEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /** Plays the scheduler reporting a poll that started `lateMs` after its due time. */
  emitLateness(lateMs: number, minerId = 'm1'): void {
    for (const listener of this.#latenessListeners) listener(lateMs, minerId);
  }

  get latenessListenerCount(): number {
    return this.#latenessListeners.size;
  }

  onPollLateness(listener: PollLatenessListener): () => void {
    this.#latenessListeners.add(listener);
    return () => {
      this.#latenessListeners.delete(listener);
    };
  }

  #fail(method: Failable): void {
    const error = this.failNext.get(method);
    if (error !== undefined) {
      this.failNext.delete(method);
      throw error;
    }
  }

  listMiners(): MinerView[] {
    return [...this.miners.values()];
  }
  getMiner(id: string): MinerView | null {
    return this.miners.get(id) ?? null;
  }
  async addMiner(input: AddMinerInput, options?: { signal?: AbortSignal }): Promise<MinerView> {
    this.calls.push({ method: 'addMiner', args: [input, options] });
    this.#fail('addMiner');
    const id = `new${this.#next++}`;
    const view = minerView(id, {
      host: input.host,
      port: input.port ?? 80,
      name: input.name ?? input.host,
      kind: input.kind === undefined || input.kind === 'auto' ? 'axeos' : input.kind,
      hasCredentials: input.credentials !== undefined && input.credentials !== null,
    });
    this.miners.set(id, view);
    return view;
  }
  async updateMiner(id: string, patch: UpdateMinerInput): Promise<MinerView> {
    this.calls.push({ method: 'updateMiner', args: [id, patch] });
    this.#fail('updateMiner');
    const current = this.miners.get(id);
    if (current === undefined) throw new MonitorError('MINER_NOT_FOUND', `no miner ${id}`);
    const next: MinerView = {
      ...current,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
      ...(patch.tags === undefined ? {} : { tags: patch.tags }),
      ...(patch.credentials === undefined ? {} : { hasCredentials: patch.credentials !== null }),
      ...(patch.intervalMs === undefined ? {} : { intervalMs: patch.intervalMs ?? 10_000 }),
    };
    this.miners.set(id, next);
    return next;
  }
  async removeMiner(id: string, options?: { dropHistory?: boolean }): Promise<boolean> {
    this.calls.push({ method: 'removeMiner', args: [id, options] });
    return this.miners.delete(id);
  }
  async restartMiner(id: string): Promise<RestartStatus> {
    this.calls.push({ method: 'restartMiner', args: [id] });
    this.#fail('restartMiner');
    return { minerId: id, state: 'restarting', requestedAt: NOW, confirmedAt: null, detail: 'sent' };
  }
  async series(id: string, query: SeriesQuery): Promise<Series> {
    this.calls.push({ method: 'series', args: [id, query] });
    const agg = { avg: 1200, min: 1100, max: 1300 };
    return {
      from: query.from,
      to: query.to,
      bucketMs: Math.ceil((query.to - query.from) / query.points),
      source: 'raw',
      points: [
        { timestamp: query.from, count: 2, values: { hashrateGhs: agg } as Series['points'][0]['values'] },
      ],
    };
  }
  fleet(): FleetSummary {
    return {
      miners: { total: this.miners.size, online: this.miners.size, degraded: 0, offline: 0 },
      hashrateGhs: 1200,
      expectedHashrateGhs: 1250,
      powerW: 18,
      efficiencyJth: 15,
      bestDifficulty: 4.2e9,
      bestDifficultyMinerId: 'm1',
      sharesAccepted: 1000,
      sharesRejected: 3,
      soloOdds: {
        hashrateGhs: 1200,
        networkDifficulty: 1.2e14,
        difficultySource: 'miner',
        difficultyUpdatedAt: NOW,
        expectedSecondsToBlock: 4.3e11,
        probabilityDay: 2e-7,
        probabilityMonth: 6e-6,
        probabilityYear: 7e-5,
      },
    };
  }
  async fleetSeries(query: SeriesQuery): Promise<FleetPoint[]> {
    this.calls.push({ method: 'fleetSeries', args: [query] });
    return [{ timestamp: query.from, hashrateGhs: 1200, expectedHashrateGhs: 1250, powerW: 18, miners: 1 }];
  }
  async listAlerts(query?: { openOnly?: boolean; limit?: number }): Promise<AlertRecord[]> {
    this.calls.push({ method: 'listAlerts', args: [query] });
    return [
      {
        key: 'overheating:m1',
        minerId: 'm1',
        condition: 'overheating',
        severity: 'critical',
        message: 'chip at 75 °C',
        openedAt: NOW,
        lastNotifiedAt: NOW,
        notifications: 1,
        clearedAt: null,
      },
    ];
  }
  async listEvents(query?: { minerId?: string; limit?: number }): Promise<EventRecord[]> {
    this.calls.push({ method: 'listEvents', args: [query] });
    return [
      {
        id: 1,
        minerId: query?.minerId ?? null,
        type: 'status',
        severity: 'info',
        message: 'online',
        timestamp: NOW,
        data: { from: 'unknown' },
      },
    ];
  }
  async discover(
    target: string,
    options?: { signal?: AbortSignal; onProgress?: (progress: DiscoverProgress) => void },
  ): Promise<DiscoveredMiner[]> {
    this.calls.push({ method: 'discover', args: [target] });
    this.#fail('discover');
    options?.onProgress?.({ scanned: 1, total: 2, found: 1 });
    options?.onProgress?.({ scanned: 2, total: 2, found: 1 });
    return [
      {
        host: '10.0.0.9',
        port: 80,
        kind: 'nerdqaxe',
        mac: 'AA:BB:CC:DD:EE:09',
        hostname: 'nerdqaxe',
        firmware: 'v1.0.36',
        knownMinerId: null,
      },
    ];
  }
  async health(): Promise<StorageHealth> {
    return this.health_;
  }
  subscribe(listener: (event: MonitorEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export interface FakeBreakerStats extends BreakerStatsLike {
  successCount: number;
  lastFailureTime: number | null;
  retries: number;
  giveUps: number;
  config: { failureThreshold: number; recoveryTimeoutMs: number; successThreshold: number };
}

export class FakeBreakers implements BreakerRegistry {
  readonly stats = new Map<string, FakeBreakerStats>();

  add(name: string, state: BreakerStatsLike['state'] = 'closed', failureCount = 0): void {
    this.stats.set(name, {
      name,
      state,
      failureCount,
      successCount: 0,
      lastFailureTime: failureCount > 0 ? NOW : null,
      retries: 4,
      giveUps: 1,
      config: { failureThreshold: 5, recoveryTimeoutMs: 60_000, successThreshold: 3 },
    });
  }
  getStats(): Record<string, FakeBreakerStats> {
    return Object.fromEntries(this.stats);
  }
  has(name: string): boolean {
    return this.stats.has(name);
  }
  reset(name: string): boolean {
    const s = this.stats.get(name);
    if (s === undefined) return false;
    this.stats.set(name, { ...s, state: 'closed', failureCount: 0 });
    return true;
  }
}
