/**
 * The dashboard's state and the only code that changes it. Components read a snapshot and
 * re-render on change; live events patch it in place and schedule throttled re-reads of the
 * aggregates (fleet totals, breakers, alerts) that the server computes.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, isApiFailure } from './api.js';
import type {
  AlertRecord,
  BreakerStatsView,
  FleetSummary,
  HealthView,
  MinerView,
  MonitorEvent,
} from './types.js';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface SparkPoint {
  readonly t: number;
  readonly v: number;
}

export interface State {
  readonly miners: readonly MinerView[];
  readonly minersLoaded: boolean;
  readonly fleet: FleetSummary | null;
  readonly alerts: readonly AlertRecord[];
  readonly breakers: readonly BreakerStatsView[];
  readonly health: HealthView | null;
  readonly connection: Connection;
  readonly lastEventAt: number | null;
  /** Recent hashrate per miner for the table's sparklines. */
  readonly sparks: Readonly<Record<string, readonly SparkPoint[]>>;
  /** Set when the server wants a token for reads (it listens beyond loopback). */
  readonly needsToken: boolean;
  readonly loadError: string | null;
}

/** Longest a change waits before it is drawn. */
const RENDER_MS = 100;
const SPARK_WINDOW_MS = 60 * 60 * 1000;
const SPARK_MAX_POINTS = 120;

const initial: State = {
  miners: [],
  minersLoaded: false,
  fleet: null,
  alerts: [],
  breakers: [],
  health: null,
  connection: 'connecting',
  lastEventAt: null,
  sparks: {},
  needsToken: false,
  loadError: null,
};

type Listener = () => void;
type Part = 'miners' | 'fleet' | 'alerts' | 'breakers' | 'health';

/** How long a burst of events is coalesced before the part is read again. */
const THROTTLE_MS: Readonly<Record<Part, number>> = {
  miners: 500,
  fleet: 2000,
  alerts: 1000,
  breakers: 1000,
  health: 5000,
};

function byName(a: MinerView, b: MinerView): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

/** Adds a live point, keeping the last hour; a late or repeated sample is ignored. */
export function appendSpark(
  points: readonly SparkPoint[] | undefined,
  point: SparkPoint,
): readonly SparkPoint[] {
  const last = points?.at(-1);
  if (points !== undefined && last !== undefined && point.t <= last.t) return points;
  const cutoff = point.t - SPARK_WINDOW_MS;
  const kept = (points ?? []).filter((p) => p.t >= cutoff);
  kept.push(point);
  return kept.slice(-SPARK_MAX_POINTS);
}

export class Store {
  #state: State = initial;
  readonly #listeners = new Set<Listener>();
  readonly #timers = new Map<Part, ReturnType<typeof setTimeout>>();
  readonly #sparksLoaded = new Set<string>();
  #now: () => number;
  #notifyTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get state(): State {
    return this.#state;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A busy fleet sends many samples a second; renders are coalesced so the page redraws at most
   * every RENDER_MS however fast events arrive.
   */
  update(patch: Partial<State>): void {
    this.#state = { ...this.#state, ...patch };
    if (this.#notifyTimer !== null) return;
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = null;
      for (const listener of this.#listeners) listener();
    }, RENDER_MS);
  }

  #patchMiner(id: string, patch: (miner: MinerView) => MinerView): void {
    const index = this.#state.miners.findIndex((m) => m.id === id);
    if (index < 0) {
      this.schedule('miners');
      return;
    }
    const miners = this.#state.miners.slice();
    miners[index] = patch(miners[index]!);
    this.update({ miners });
  }

  /** A miner fetched on its own (the miner page) joins the list so the two stay in step. */
  upsertMiner(miner: MinerView): void {
    const miners = this.#state.miners.filter((m) => m.id !== miner.id);
    miners.push(miner);
    miners.sort(byName);
    this.update({ miners });
  }

  async #failing<T>(load: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await load();
      if (this.#state.loadError !== null || this.#state.needsToken) {
        this.update({ loadError: null, needsToken: false });
      }
      return value;
    } catch (error) {
      if (isApiFailure(error) && (error.status === 401 || error.status === 403)) {
        this.update({ needsToken: true });
      } else {
        this.update({ loadError: error instanceof Error ? error.message : String(error) });
      }
      return undefined;
    }
  }

  async refresh(part: Part): Promise<void> {
    switch (part) {
      case 'miners': {
        const miners = await this.#failing(() => api.miners());
        if (miners === undefined) return;
        miners.sort(byName);
        this.update({ miners, minersLoaded: true });
        void this.#loadSparks(miners);
        return;
      }
      case 'fleet': {
        const fleet = await this.#failing(() => api.fleet());
        if (fleet !== undefined) this.update({ fleet });
        return;
      }
      case 'alerts': {
        const alerts = await this.#failing(() => api.alerts());
        if (alerts !== undefined) this.update({ alerts });
        return;
      }
      case 'breakers': {
        const stats = await this.#failing(() => api.resilience());
        if (stats === undefined) return;
        // Breakers that are not closed lead: they are what the panel is for.
        const rank = (b: BreakerStatsView) => (b.state === 'open' ? 0 : b.state === 'half_open' ? 1 : 2);
        const breakers = Object.values(stats).sort(
          (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name),
        );
        this.update({ breakers });
        return;
      }
      case 'health': {
        const health = await this.#failing(() => api.health());
        if (health !== undefined) this.update({ health });
        return;
      }
    }
  }

  async refreshAll(): Promise<void> {
    await Promise.all(
      (['miners', 'fleet', 'alerts', 'breakers', 'health'] as const).map((p) => this.refresh(p)),
    );
  }

  /** Coalesces bursts: one read per part per throttle window. */
  schedule(part: Part): void {
    if (this.#timers.has(part)) return;
    this.#timers.set(
      part,
      setTimeout(() => {
        this.#timers.delete(part);
        void this.refresh(part);
      }, THROTTLE_MS[part]),
    );
  }

  /** Seeds each new miner's sparkline with its last hour, once. */
  async #loadSparks(miners: readonly MinerView[]): Promise<void> {
    const to = this.#now();
    const fresh = miners.filter((m) => !this.#sparksLoaded.has(m.id));
    await Promise.all(
      fresh.map(async (miner) => {
        this.#sparksLoaded.add(miner.id);
        try {
          const series = await api.series(miner.id, { from: to - SPARK_WINDOW_MS, to, points: 60 });
          const seeded: SparkPoint[] = [];
          for (const p of series.points) {
            const v = p.values.hashrateGhs?.avg;
            if (typeof v === 'number') seeded.push({ t: p.timestamp, v });
          }
          const live = (this.#state.sparks[miner.id] ?? []).filter((p) => p.t > (seeded.at(-1)?.t ?? 0));
          this.update({ sparks: { ...this.#state.sparks, [miner.id]: [...seeded, ...live] } });
        } catch {
          // A sparkline without history still fills from live samples.
        }
      }),
    );
  }

  apply(event: MonitorEvent): void {
    this.update({ lastEventAt: this.#now() });
    switch (event.type) {
      case 'sample': {
        const { minerId, sample } = event;
        this.#patchMiner(minerId, (m) => ({ ...m, lastSample: sample, lastSeenAt: sample.timestamp }));
        if (typeof sample.hashrateGhs === 'number') {
          const sparks = {
            ...this.#state.sparks,
            [minerId]: appendSpark(this.#state.sparks[minerId], {
              t: sample.timestamp,
              v: sample.hashrateGhs,
            }),
          };
          this.update({ sparks });
        }
        this.schedule('fleet');
        return;
      }
      case 'status':
        this.#patchMiner(event.minerId, (m) => ({ ...m, status: event.to, statusReason: event.reason }));
        this.schedule('fleet');
        return;
      case 'restart':
        this.#patchMiner(event.restart.minerId, (m) => ({ ...m, restart: event.restart }));
        return;
      case 'miner':
        this.schedule('miners');
        this.schedule('fleet');
        return;
      case 'breaker':
        this.schedule('breakers');
        this.schedule('miners');
        return;
      case 'alert': {
        const others = this.#state.alerts.filter(
          (a) => a.key !== event.alert.key || a.openedAt !== event.alert.openedAt,
        );
        this.update({ alerts: [event.alert, ...others] });
        this.schedule('alerts');
        return;
      }
      case 'event':
        return;
    }
  }
}

export const store = new Store();

/** Re-renders the calling component whenever the store changes. */
export function useStore(): State {
  const [state, setState] = useState(store.state);
  useEffect(() => {
    setState(store.state);
    return store.subscribe(() => setState(store.state));
  }, []);
  return state;
}

/** A clock that ticks, so "12s ago" and countdowns move without new data. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
