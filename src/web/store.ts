/**
 * The dashboard's state and the only code that changes it. Components read a snapshot and
 * re-render on change; the live stream's batches patch it (one new miner list per batch, however
 * many miners changed) and schedule throttled re-reads of the aggregates (fleet totals, breakers,
 * alerts) that the server computes.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ActionProgress, applyLive, fromView } from './actionProgress.js';
import { api, isApiFailure } from './api.js';
import { naturalCompare } from './minerQuery.js';
import type {
  ActionView,
  AlertRecord,
  BreakerStatsView,
  FleetSummary,
  HealthView,
  ListedMiner,
  ListedSample,
  LiveAction,
  LiveChanges,
  LiveRow,
  MonitorEvent,
} from './types.js';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface SparkPoint {
  readonly t: number;
  readonly v: number;
}

export interface State {
  readonly miners: readonly ListedMiner[];
  readonly minersLoaded: boolean;
  readonly fleet: FleetSummary | null;
  readonly alerts: readonly AlertRecord[];
  readonly breakers: readonly BreakerStatsView[];
  readonly health: HealthView | null;
  readonly connection: Connection;
  readonly lastEventAt: number | null;
  /** The fleet's J/TH over the last hour, one point per summary read at most every 30 s. */
  readonly efficiency: readonly SparkPoint[];
  /** Recent hashrate for the table's sparklines: only miners whose row was shown lately. */
  readonly sparks: Readonly<Record<string, readonly SparkPoint[]>>;
  /** Set when the server wants a token for reads (it listens beyond loopback). */
  readonly needsToken: boolean;
  readonly loadError: string | null;
  /** The miners ticked in the table: a fleet action may aim at them. */
  readonly selection: ReadonlySet<string>;
  /** Fleet actions followed, by id: their whole list when read, patched by the live stream. */
  readonly actions: Readonly<Record<string, ActionProgress>>;
  /** A profile's "Apply" on its way to the fleet actions panel, which aims and confirms it. */
  readonly actionDraft: ActionDraft | null;
}

export interface ActionDraft {
  readonly profile: string;
}

/** Longest a change waits before it is drawn. */
const RENDER_MS = 100;
const SPARK_WINDOW_MS = 60 * 60 * 1000;
const SPARK_MAX_POINTS = 120;
/**
 * Sparklines kept at most. A farm's table shows a few dozen rows at a time; keeping a line for
 * each of 10,000 miners would cost the page tens of megabytes for rows nobody looks at.
 */
const SPARK_MAX_MINERS = 300;
/** Least time between two points of the fleet's J/TH trend. */
const EFFICIENCY_STEP_MS = 30_000;
/** History reads for sparklines in flight at once. */
const SPARK_LOADS_AT_ONCE = 4;
/** Fleet actions followed at once; the oldest go first (GET /api/actions still lists them). */
const ACTIONS_KEPT = 20;

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
  efficiency: [],
  needsToken: false,
  loadError: null,
  selection: new Set(),
  actions: {},
  actionDraft: null,
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

function byName(a: ListedMiner, b: ListedMiner): number {
  return naturalCompare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A sample for a miner the stream reports before the list gave it one. */
function emptySample(kind: ListedMiner['kind'], timestamp: number): ListedSample {
  return {
    timestamp,
    kind,
    hashrateGhs: null,
    expectedHashrateGhs: null,
    temperatureC: null,
    maxChipTemperatureC: null,
    vrTemperatureC: null,
    boardTemperaturesC: [],
    chipTempLimitC: null,
    powerW: null,
    sharesAccepted: null,
    sharesRejected: null,
    bestDifficulty: null,
    uptimeS: null,
    firmware: null,
    deviceModel: null,
  };
}

/** A miner with one live row applied; `at` is the batch's time. */
export function applyRow(miner: ListedMiner, row: LiveRow, at: number): ListedMiner {
  let next: ListedMiner = miner;
  if (row.s !== undefined) {
    next = { ...next, status: row.s as ListedMiner['status'], statusReason: row.sr ?? null };
  }
  if (row.k !== undefined && next.breaker !== null) {
    next = { ...next, breaker: { ...next.breaker, state: row.k as 'closed' | 'open' | 'half_open' } };
  }
  if (row.t === undefined) return next;
  const timestamp = at - row.t;
  const old = next.lastSample ?? emptySample(next.kind, timestamp);
  // Uptime comes only when it jumped (a reboot); otherwise it counts on from the last one given.
  const uptimeS =
    row.u !== undefined
      ? row.u
      : old.uptimeS === null
        ? null
        : old.uptimeS + (timestamp - old.timestamp) / 1000;
  const sample: ListedSample = {
    ...old,
    timestamp,
    uptimeS,
    hashrateGhs: row.h !== undefined ? row.h : old.hashrateGhs,
    expectedHashrateGhs: row.x !== undefined ? row.x : old.expectedHashrateGhs,
    maxChipTemperatureC: row.c !== undefined ? row.c : old.maxChipTemperatureC,
    vrTemperatureC: row.v !== undefined ? row.v : old.vrTemperatureC,
    boardTemperaturesC: row.b === undefined ? old.boardTemperaturesC : row.b === null ? [] : [row.b],
    powerW: row.w !== undefined ? row.w : old.powerW,
    sharesAccepted: row.a !== undefined ? row.a : old.sharesAccepted,
    sharesRejected: row.r !== undefined ? row.r : old.sharesRejected,
    bestDifficulty: row.d !== undefined ? row.d : old.bestDifficulty,
  };
  const best = sample.bestDifficulty;
  return {
    ...next,
    lastSample: sample,
    lastSeenAt: timestamp,
    bestDifficulty:
      best !== null && (next.bestDifficulty === null || best > next.bestDifficulty)
        ? best
        : next.bestDifficulty,
  };
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
  /** Miner id -> its place in `state.miners`, so a live row finds its miner at once. */
  #indexOf = new Map<string, number>();
  /** The stream's number for each miner (from `hello` and each batch's `ids`). */
  #wireIds: (string | null)[] = [];
  /** Sparklines in the order they were last asked for, oldest first (a Map keeps that order). */
  readonly #sparkUse = new Map<string, true>();
  readonly #sparkQueue: string[] = [];
  #sparkLoads = 0;
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
    if (patch.miners !== undefined && patch.miners !== this.#state.miners) this.#reindex(patch.miners);
    this.#state = { ...this.#state, ...patch };
    if (this.#notifyTimer !== null) return;
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = null;
      for (const listener of this.#listeners) listener();
    }, RENDER_MS);
  }

  #reindex(miners: readonly ListedMiner[]): void {
    // Only a list of other miners (added, removed, reordered) needs a new index.
    const same =
      miners.length === this.#indexOf.size && miners.every((m, i) => this.#indexOf.get(m.id) === i);
    if (same) return;
    this.#indexOf = new Map(miners.map((m, i) => [m.id, i]));
  }

  #patchMiner(id: string, patch: (miner: ListedMiner) => ListedMiner): void {
    const index = this.#indexOf.get(id);
    if (index === undefined) {
      this.schedule('miners');
      return;
    }
    const miners = this.#state.miners.slice();
    miners[index] = patch(miners[index]!);
    this.update({ miners });
  }

  /** A miner fetched on its own (the miner page) joins the list so the two stay in step. */
  upsertMiner(miner: ListedMiner): void {
    const miners = this.#state.miners.filter((m) => m.id !== miner.id);
    miners.push(miner);
    miners.sort(byName);
    this.update({ miners });
  }

  /**
   * A fresh list replaces the one held, except where the live stream already brought a newer
   * sample than the list had (the list and the stream race on every (re)connection).
   */
  #replaceMiners(listed: ListedMiner[]): void {
    const miners = listed.map((m) => {
      const index = this.#indexOf.get(m.id);
      const held = index === undefined ? undefined : this.#state.miners[index];
      const heldAt = held?.lastSample?.timestamp ?? Number.NEGATIVE_INFINITY;
      if (held === undefined || heldAt <= (m.lastSample?.timestamp ?? Number.NEGATIVE_INFINITY)) return m;
      return { ...m, lastSample: held.lastSample, lastSeenAt: held.lastSeenAt };
    });
    miners.sort(byName);
    this.update({ miners, minersLoaded: true });
  }

  /** The J/TH trend with a new reading, at most one point per EFFICIENCY_STEP_MS. */
  #trend(jth: number | null): readonly SparkPoint[] {
    const points = this.#state.efficiency;
    const t = this.#now();
    if (jth === null || t - (points.at(-1)?.t ?? Number.NEGATIVE_INFINITY) < EFFICIENCY_STEP_MS)
      return points;
    return appendSpark(points, { t, v: jth });
  }

  /** The stream's numbering, sent when it connects. */
  hello(ids: readonly (string | null)[]): void {
    this.#wireIds = ids.slice();
  }

  /** One live batch: every changed miner patched into one new list, then one render. */
  applyChanges(changes: LiveChanges): void {
    this.update({ lastEventAt: this.#now() });
    for (const [n, id] of Object.entries(changes.ids ?? {})) this.#wireIds[Number(n)] = id;
    if (changes.m !== undefined) {
      const miners = this.#state.miners.slice();
      const sparks: Record<string, readonly SparkPoint[]> = { ...this.#state.sparks };
      let unknown = false;
      for (const [n, row] of Object.entries(changes.m)) {
        const id = this.#wireIds[Number(n)];
        const index = id === undefined || id === null ? undefined : this.#indexOf.get(id);
        if (index === undefined) {
          unknown = true;
          continue;
        }
        const miner = applyRow(miners[index]!, row, changes.at);
        miners[index] = miner;
        const h = miner.lastSample?.hashrateGhs;
        if (row.h !== undefined && typeof h === 'number' && sparks[miner.id] !== undefined) {
          sparks[miner.id] = appendSpark(sparks[miner.id], { t: miner.lastSample!.timestamp, v: h });
        }
        if (row.k !== undefined) this.schedule('breakers');
      }
      this.update({ miners, sparks });
      if (unknown) this.schedule('miners');
      this.schedule('fleet');
    }
    for (const event of changes.e ?? []) this.apply(event);
  }

  /** An action's whole list (GET /api/actions/:id), merged with what the stream already told. */
  trackAction(view: ActionView): void {
    this.#keepAction(fromView(this.#state.actions[view.id], view));
  }

  /** One `action` message of the live stream; its miners are the stream's numbers. */
  applyAction(message: LiveAction): void {
    const held = this.#state.actions[message.id];
    this.#keepAction(applyLive(held, message, (n) => this.#wireIds[n] ?? null));
  }

  #keepAction(progress: ActionProgress): void {
    const actions: Record<string, ActionProgress> = { ...this.#state.actions, [progress.id]: progress };
    const ids = Object.keys(actions);
    for (const id of ids.slice(0, Math.max(0, ids.length - ACTIONS_KEPT))) delete actions[id];
    this.update({ actions });
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
        if (miners !== undefined) this.#replaceMiners(miners);
        return;
      }
      case 'fleet': {
        const fleet = await this.#failing(() => api.fleet());
        if (fleet !== undefined) this.update({ fleet, efficiency: this.#trend(fleet.efficiencyJth) });
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

  /**
   * The table asks for the sparklines of the rows it shows. Each is seeded once with its last
   * hour from the server, then grows from the live stream; the least recently shown are dropped
   * past SPARK_MAX_MINERS.
   */
  requestSparks(ids: readonly string[]): void {
    let sparks: Record<string, readonly SparkPoint[]> | null = null;
    for (const id of ids) {
      this.#sparkUse.delete(id);
      this.#sparkUse.set(id, true);
      if (this.#state.sparks[id] !== undefined) continue;
      sparks ??= { ...this.#state.sparks };
      sparks[id] = [];
      this.#sparkQueue.push(id);
    }
    for (const id of this.#sparkUse.keys()) {
      if (this.#sparkUse.size <= SPARK_MAX_MINERS) break;
      this.#sparkUse.delete(id);
      sparks ??= { ...this.#state.sparks };
      delete sparks[id];
    }
    if (sparks !== null) this.update({ sparks });
    this.#pumpSparks();
  }

  #pumpSparks(): void {
    while (this.#sparkLoads < SPARK_LOADS_AT_ONCE && this.#sparkQueue.length > 0) {
      const id = this.#sparkQueue.shift()!;
      if (!this.#sparkUse.has(id)) continue;
      this.#sparkLoads += 1;
      void this.#seedSpark(id).finally(() => {
        this.#sparkLoads -= 1;
        this.#pumpSparks();
      });
    }
  }

  async #seedSpark(id: string): Promise<void> {
    const to = this.#now();
    try {
      const series = await api.series(id, { from: to - SPARK_WINDOW_MS, to, points: 60 });
      const live = this.#state.sparks[id];
      if (live === undefined) return;
      const seeded: SparkPoint[] = [];
      for (const p of series.points) {
        const v = p.values.hashrateGhs?.avg;
        if (typeof v === 'number') seeded.push({ t: p.timestamp, v });
      }
      const newer = live.filter((p) => p.t > (seeded.at(-1)?.t ?? 0));
      this.update({ sparks: { ...this.#state.sparks, [id]: [...seeded, ...newer] } });
    } catch {
      // A sparkline without history still fills from live samples.
    }
  }

  apply(event: MonitorEvent): void {
    this.update({ lastEventAt: this.#now() });
    switch (event.type) {
      case 'sample': {
        const { minerId, sample } = event;
        this.#patchMiner(minerId, (m) => ({ ...m, lastSample: sample, lastSeenAt: sample.timestamp }));
        if (typeof sample.hashrateGhs === 'number' && this.#state.sparks[minerId] !== undefined) {
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

/** The miners ticked in the table, held in the store so a fleet action can aim at them. */
export function useSelection(): [ReadonlySet<string>, (next: ReadonlySet<string>) => void] {
  // Held here too, so a second tick right after the first builds on it rather than on a store
  // snapshot that is drawn up to RENDER_MS later.
  const [selection, setSelection] = useState(store.state.selection);
  return [
    selection,
    (next) => {
      setSelection(next);
      store.update({ selection: next });
    },
  ];
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
