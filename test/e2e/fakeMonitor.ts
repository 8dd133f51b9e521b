/**
 * A stand-in monitor for the browser tests while the real one is being built: a few miners with
 * live samples on a timer, generated history, and the real breaker registry. The server in front
 * of it is the real `buildApp`, so auth, SSE and static serving are the real thing.
 */
import type { MinerSample } from '../../src/miners/MinerSample.js';
import { MonitorError } from '../../src/monitor/errors.js';
import type {
  AddMinerInput,
  FleetSummary,
  MinerView,
  Monitor,
  MonitorEvent,
  RestartStatus,
  UpdateMinerInput,
} from '../../src/monitor/types.js';
import type { RetryManager } from '../../src/resilience/index.js';
import type { AlertRecord, FleetPoint, Series, SeriesPoint, SeriesQuery } from '../../src/storage/Storage.js';
import { METRIC_FIELDS } from '../../src/storage/Storage.js';

export const HOSTILE = '<img src=x onerror=alert(1)>';

function sample(i: number, now: number, hostname: string, jitter: number): MinerSample {
  return {
    timestamp: now,
    kind: 'axeos',
    hashrateGhs: 500 + i * 600 + jitter,
    expectedHashrateGhs: 520 + i * 600,
    temperatureC: 55 + i,
    maxChipTemperatureC: 57 + i,
    chipTemperaturesC: [],
    vrTemperatureC: 48 + i,
    boardTemperaturesC: [],
    chipTempLimitC: null,
    vrTempLimitC: null,
    powerW: 14 + i * 4,
    inputVoltageV: 5.1,
    currentA: null,
    fanRpm: [4200],
    fanPercent: 60,
    sharesAccepted: 1000 * (i + 1),
    sharesRejected: 3 * (i + 1),
    rejectReasons: [],
    bestDifficulty: 4.29e9 * (i + 1),
    sessionBestDifficulty: 1.2e6,
    uptimeS: 86_400 + i * 3600,
    poolUrl: 'stratum+tcp://solo.example:3333',
    poolUser: `bc1qexample.${hostname}`,
    poolDifficulty: 1000,
    firmware: 'v2.15.0',
    asicModel: 'BM1370',
    deviceModel: 'Gamma',
    hostname,
    mac: `AA:BB:CC:DD:EE:0${i}`,
    networkDifficulty: 1.2e14,
    blockHeight: 900_000,
    blocksFound: 0,
    resetReason: null,
    backfilled: false,
    raw: {},
    warnings: [],
  };
}

export class FakeMonitor implements Monitor {
  readonly #listeners = new Set<(event: MonitorEvent) => void>();
  readonly #miners = new Map<string, MinerView>();
  readonly #timer: NodeJS.Timeout;
  readonly #breakers: RetryManager;
  #tick = 0;

  constructor(breakers: RetryManager, sampleEveryMs = 400) {
    this.#breakers = breakers;
    const now = Date.now();
    const names = ['alpha', 'bravo', HOSTILE];
    names.forEach((name, i) => {
      const id = `m${i + 1}`;
      this.#miners.set(id, {
        id,
        name,
        host: `127.0.0.${i + 10}`,
        port: 80,
        kind: 'axeos',
        mac: `AA:BB:CC:DD:EE:0${i}`,
        hostname: name,
        enabled: true,
        tags: [],
        hasCredentials: false,
        intervalMs: 5000,
        status: 'online',
        statusReason: null,
        lastSeenAt: now,
        lastPollAt: now,
        lastError: null,
        lastSample: sample(i, now, name, 0),
        breaker: { name: `miner_operations:${id}`, state: 'closed', failureCount: 0, nextAttemptAt: null },
        bestDifficulty: 4.29e9 * (i + 1),
        restart: null,
        createdAt: now - 86_400_000,
      });
      breakers.getCircuitBreaker(`miner_operations:${id}`);
    });
    this.#timer = setInterval(() => this.#emitSamples(), sampleEveryMs);
    this.#timer.unref();
  }

  #emit(event: MonitorEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #emitSamples(): void {
    this.#tick += 1;
    const now = Date.now();
    [...this.#miners.values()].forEach((miner, i) => {
      const s = sample(i, now, miner.hostname ?? miner.name, Math.sin(this.#tick + i) * 40);
      this.#miners.set(miner.id, { ...miner, lastSample: s, lastSeenAt: now, lastPollAt: now });
      this.#emit({ type: 'sample', minerId: miner.id, sample: s });
    });
  }

  listMiners(): MinerView[] {
    return [...this.#miners.values()];
  }
  getMiner(id: string): MinerView | null {
    return this.#miners.get(id) ?? null;
  }
  async addMiner(input: AddMinerInput): Promise<MinerView> {
    throw new MonitorError('MINER_UNREACHABLE', `nothing answered at ${input.host} after 3 attempts`);
  }
  async updateMiner(id: string, patch: UpdateMinerInput): Promise<MinerView> {
    const m = this.getMiner(id);
    if (m === null) throw new MonitorError('MINER_NOT_FOUND', `no miner ${id}`);
    const updated = {
      ...m,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
      ...(patch.tags === undefined ? {} : { tags: patch.tags }),
    };
    this.#miners.set(id, updated);
    this.#emit({ type: 'miner', action: 'updated', minerId: id });
    return updated;
  }
  async removeMiner(): Promise<boolean> {
    return false;
  }
  async restartMiner(id: string): Promise<RestartStatus> {
    return { minerId: id, state: 'restarting', requestedAt: Date.now(), confirmedAt: null, detail: 'sent' };
  }
  async series(id: string, query: SeriesQuery): Promise<Series> {
    const i = [...this.#miners.keys()].indexOf(id);
    const bucketMs = Math.max(1000, Math.ceil((query.to - query.from) / query.points));
    const points: SeriesPoint[] = [];
    for (let t = query.from; t < query.to; t += bucketMs) {
      const values = Object.fromEntries(
        METRIC_FIELDS.map((f) => [f, { avg: null, min: null, max: null }]),
      ) as Record<
        (typeof METRIC_FIELDS)[number],
        { avg: number | null; min: number | null; max: number | null }
      >;
      const h = 500 + i * 600 + Math.sin(t / 600_000) * 30;
      values.hashrateGhs = { avg: h, min: h - 10, max: h + 10 };
      values.expectedHashrateGhs = { avg: 520 + i * 600, min: 520 + i * 600, max: 520 + i * 600 };
      values.temperatureC = { avg: 55 + i + Math.sin(t / 900_000), min: 54, max: 58 };
      values.vrTemperatureC = { avg: 48 + i, min: 47, max: 49 };
      values.powerW = { avg: 14 + i * 4, min: 13, max: 15 };
      points.push({ timestamp: t, count: 5, values });
    }
    return { from: query.from, to: query.to, bucketMs, source: 'raw', points };
  }
  fleet(): FleetSummary {
    const miners = this.listMiners();
    const hash = miners.reduce((s, m) => s + (m.lastSample?.hashrateGhs ?? 0), 0);
    const power = miners.reduce((s, m) => s + (m.lastSample?.powerW ?? 0), 0);
    const d = 1.2e14;
    const lambda = (hash * 1e9) / (d * 2 ** 32);
    return {
      miners: { total: miners.length, online: miners.length, degraded: 0, offline: 0 },
      hashrateGhs: hash,
      expectedHashrateGhs: miners.reduce((s, m) => s + (m.lastSample?.expectedHashrateGhs ?? 0), 0),
      powerW: power,
      efficiencyJth: power / (hash / 1000),
      bestDifficulty: 4.29e9 * 3,
      bestDifficultyMinerId: 'm3',
      sharesAccepted: 6000,
      sharesRejected: 18,
      soloOdds: {
        hashrateGhs: hash,
        networkDifficulty: d,
        difficultySource: 'miner',
        difficultyUpdatedAt: Date.now() - 120_000,
        expectedSecondsToBlock: 1 / lambda,
        probabilityDay: 1 - Math.exp(-lambda * 86_400),
        probabilityMonth: 1 - Math.exp(-lambda * 30 * 86_400),
        probabilityYear: 1 - Math.exp(-lambda * 365 * 86_400),
      },
    };
  }
  async fleetSeries(query: SeriesQuery): Promise<FleetPoint[]> {
    const step = Math.max(1000, Math.ceil((query.to - query.from) / query.points));
    const points: FleetPoint[] = [];
    for (let t = query.from; t < query.to; t += step) {
      points.push({
        timestamp: t,
        hashrateGhs: 3300 + Math.sin(t / 3_000_000) * 120,
        expectedHashrateGhs: 3360,
        powerW: 54,
        miners: 3,
      });
    }
    return points;
  }
  async listAlerts(): Promise<AlertRecord[]> {
    return [
      {
        key: 'overheating:m2',
        minerId: 'm2',
        condition: 'overheating',
        severity: 'warning',
        message: 'bravo runs at 71°C (limit 70°C)',
        openedAt: Date.now() - 300_000,
        lastNotifiedAt: null,
        notifications: 1,
        clearedAt: null,
      },
    ];
  }
  async listEvents() {
    return [];
  }
  async discover() {
    return [];
  }
  async health() {
    return {
      ok: true,
      detail: 'ok',
      stats: {
        queued: 0,
        maxQueued: 10_000,
        accepted: 0,
        written: 0,
        dropped: 0,
        flushes: 0,
        flushFailures: 0,
        lastFlushAt: null,
        lastError: null,
        available: true,
      },
    };
  }
  subscribe(listener: (event: MonitorEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  close(): void {
    clearInterval(this.#timer);
  }
  get breakers(): RetryManager {
    return this.#breakers;
  }
}
