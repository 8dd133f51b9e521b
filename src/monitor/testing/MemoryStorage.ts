/**
 * An in-memory Storage for the monitor's unit tests: every method behaves as the interface says,
 * with no database behind it. Failures can be switched on to test that the monitor survives them.
 */
import type {
  AlertRecord,
  BestDifficultyRecord,
  BreakerSnapshotRecord,
  EventRecord,
  FleetPoint,
  MetricRecord,
  MinerRecord,
  SaveResult,
  Series,
  SeriesQuery,
  Storage,
  StorageHealth,
  StorageStats,
} from '../../storage/Storage.js';

export class MemoryStorage implements Storage {
  readonly miners = new Map<string, MinerRecord>();
  readonly metrics: MetricRecord[] = [];
  readonly events: EventRecord[] = [];
  readonly alerts = new Map<string, AlertRecord>();
  readonly best = new Map<string, BestDifficultyRecord>();
  snapshots: BreakerSnapshotRecord[] = [];
  flushes = 0;
  /** When set, writes reject with this error. */
  failWrites: Error | null = null;
  #nextEventId = 1;

  async initialize(): Promise<void> {}

  #write(): void {
    if (this.failWrites !== null) throw this.failWrites;
  }

  async saveMinerConfig(miner: MinerRecord): Promise<void> {
    this.#write();
    this.miners.set(miner.id, miner);
  }

  async getMinerConfig(id: string): Promise<MinerRecord | null> {
    return this.miners.get(id) ?? null;
  }

  async findMinerByMac(mac: string): Promise<MinerRecord | null> {
    return [...this.miners.values()].find((miner) => miner.mac === mac) ?? null;
  }

  async listMiners(): Promise<MinerRecord[]> {
    return [...this.miners.values()];
  }

  async deleteMiner(id: string, options: { dropHistory?: boolean } = {}): Promise<boolean> {
    const existed = this.miners.delete(id);
    if (options.dropHistory) {
      for (let i = this.metrics.length - 1; i >= 0; i -= 1)
        if (this.metrics[i]?.minerId === id) this.metrics.splice(i, 1);
    }
    return existed;
  }

  async saveMetrics(samples: readonly MetricRecord[]): Promise<SaveResult> {
    this.#write();
    this.metrics.push(...samples);
    return { accepted: samples.length, dropped: 0 };
  }

  async flush(): Promise<void> {
    this.flushes += 1;
  }

  async querySeries(_minerId: string, query: SeriesQuery): Promise<Series> {
    return { from: query.from, to: query.to, bucketMs: 1000, source: 'raw', points: [] };
  }

  async queryFleetSeries(_query: SeriesQuery): Promise<FleetPoint[]> {
    return [];
  }

  async latestMetric(minerId: string): Promise<MetricRecord | null> {
    let latest: MetricRecord | null = null;
    for (const record of this.metrics) {
      if (record.minerId === minerId && (latest === null || record.timestamp > latest.timestamp))
        latest = record;
    }
    return latest;
  }

  async recordEvent(event: EventRecord): Promise<number> {
    this.#write();
    const id = this.#nextEventId++;
    this.events.push({ ...event, id });
    return id;
  }

  async listEvents(query: { minerId?: string; limit?: number } = {}): Promise<EventRecord[]> {
    return this.events
      .filter((event) => query.minerId === undefined || event.minerId === query.minerId)
      .reverse()
      .slice(0, query.limit ?? 100);
  }

  async upsertAlert(alert: AlertRecord): Promise<void> {
    this.#write();
    this.alerts.set(alert.key, alert);
  }

  async listAlerts(
    query: { minerId?: string; openOnly?: boolean; limit?: number } = {},
  ): Promise<AlertRecord[]> {
    return [...this.alerts.values()]
      .filter((alert) => (query.openOnly ? alert.clearedAt === null : true))
      .filter((alert) => query.minerId === undefined || alert.minerId === query.minerId)
      .slice(0, query.limit ?? 100);
  }

  async updateBestDifficulty(minerId: string, value: number, at: number): Promise<boolean> {
    const current = this.best.get(minerId);
    if (current !== undefined && current.bestDifficulty >= value) return false;
    this.best.set(minerId, { minerId, bestDifficulty: value, achievedAt: at });
    return true;
  }

  async getBestDifficulty(minerId: string): Promise<BestDifficultyRecord | null> {
    return this.best.get(minerId) ?? null;
  }

  async saveBreakerSnapshots(snapshots: readonly BreakerSnapshotRecord[]): Promise<void> {
    this.snapshots = [...snapshots];
  }

  async loadBreakerSnapshots(): Promise<BreakerSnapshotRecord[]> {
    return [...this.snapshots];
  }

  async runRetention(): Promise<number> {
    return 0;
  }

  stats(): StorageStats {
    return {
      queued: 0,
      maxQueued: 0,
      accepted: this.metrics.length,
      written: this.metrics.length,
      dropped: 0,
      flushes: this.flushes,
      flushFailures: 0,
      lastFlushAt: null,
      lastError: null,
      available: this.failWrites === null,
    };
  }

  async health(): Promise<StorageHealth> {
    return { ok: this.failWrites === null, detail: 'memory', stats: this.stats() };
  }

  async close(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {}
}
