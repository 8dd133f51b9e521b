/**
 * The monitor as the API of one instance of a shared fleet shows it: the miners it polls as its
 * own monitor holds them, and every other miner as the instance polling it last wrote it
 * (`miner_live`), with `polledBy` naming that instance. Changes read from the others become the
 * same `sample`, `status`, `restart` and `breaker` events the live stream sends, on this view's
 * subscribers only: the reducer, alerts, watchdog, MQTT and desired state never see them, so
 * nothing the owner does is done twice.
 */

import { fleetSummary } from '../fleetSummary.js';
import { breakerName } from '../MinerEntry.js';
import type { KnownDifficulty } from '../odds/soloOdds.js';
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
} from '../types.js';
import type { RestartForwarder } from './forwardRestart.js';
import type { RemoteRow } from './LiveTable.js';
import type { LiveView } from './LiveView.js';
import { parseLiveView } from './LiveView.js';

export interface SharedFleetViewDeps {
  /** This instance's own monitor. */
  readonly monitor: Monitor;
  readonly instanceId: string;
  /** True when this instance polls the miner now. */
  readonly owns: (minerId: string) => boolean;
  readonly difficulty: () => KnownDifficulty | null;
  readonly now: () => number;
  /** Sends a restart to the instance polling the miner. @default none: restarts run here */
  readonly forwardRestart?: RestartForwarder;
}

interface Remote {
  readonly view: LiveView;
  readonly updatedAt: number;
}

export class SharedFleetView implements Monitor {
  readonly #deps: SharedFleetViewDeps;
  readonly #remote = new Map<string, Remote>();
  #polledBy = new Map<string, { id: string; url: string | null }>();
  readonly #listeners = new Set<(event: MonitorEvent) => void>();
  #skipped = 0;

  constructor(deps: SharedFleetViewDeps) {
    this.#deps = deps;
  }

  /** Rows read back that were not a view (counted, not shown). */
  get skipped(): number {
    return this.#skipped;
  }

  /**
   * Takes one read of the others' miners: who polls each, and the views that changed. Views of
   * miners this instance polls now are dropped, so a miner handed back shows this instance's
   * fresher state until its new owner writes.
   */
  apply(rows: readonly RemoteRow[]): void {
    const { owns } = this.#deps;
    const polledBy = new Map<string, { id: string; url: string | null }>();
    for (const row of rows) {
      polledBy.set(row.minerId, { id: row.owner, url: row.ownerUrl });
      if (row.view === null || row.updatedAt === null || owns(row.minerId)) continue;
      const before = this.#remote.get(row.minerId);
      if (before !== undefined && before.updatedAt >= row.updatedAt) continue;
      const view = parseLiveView(row.view);
      if (view === null) {
        this.#skipped += 1;
        continue;
      }
      this.#remote.set(row.minerId, { view, updatedAt: row.updatedAt });
      this.#announce(row.minerId, before?.view ?? this.#deps.monitor.getMiner(row.minerId), view);
    }
    this.#polledBy = polledBy;
    for (const id of this.#remote.keys()) if (owns(id)) this.#remote.delete(id);
  }

  #announce(minerId: string, before: LiveView | null, after: LiveView): void {
    if (this.#listeners.size === 0) return;
    const events: MonitorEvent[] = [];
    const sample = after.lastSample;
    if (sample !== null && sample.timestamp !== before?.lastSample?.timestamp)
      events.push({ type: 'sample', minerId, sample });
    const from = before?.status ?? 'unknown';
    if (after.status !== from)
      events.push({
        type: 'status',
        minerId,
        from,
        to: after.status,
        reason: after.statusReason,
        at: after.lastPollAt ?? this.#deps.now(),
      });
    const restart = after.restart;
    if (
      restart !== null &&
      (restart.state !== before?.restart?.state || restart.requestedAt !== before.restart.requestedAt)
    )
      events.push({ type: 'restart', restart });
    const breaker = after.breaker?.state ?? 'closed';
    const was = before?.breaker?.state ?? 'closed';
    if (breaker !== was)
      events.push({
        type: 'breaker',
        name: breakerName(minerId),
        from: was,
        to: breaker,
        at: this.#deps.now(),
      });
    for (const event of events) for (const listener of this.#listeners) listener(event);
  }

  /** The instance polling the miner, or null when none holds a live lease on it. */
  polledBy(minerId: string): string | null {
    return this.#deps.owns(minerId) ? this.#deps.instanceId : (this.#polledBy.get(minerId)?.id ?? null);
  }

  #shown(view: MinerView): MinerView {
    const polledBy = this.polledBy(view.id);
    if (polledBy === this.#deps.instanceId) return { ...view, polledBy };
    const remote = this.#remote.get(view.id);
    if (remote === undefined || !view.enabled) return { ...view, polledBy };
    return { ...view, ...remote.view, polledBy };
  }

  listMiners(): MinerView[] {
    return this.#deps.monitor.listMiners().map((view) => this.#shown(view));
  }

  getMiner(id: string): MinerView | null {
    const view = this.#deps.monitor.getMiner(id);
    return view === null ? null : this.#shown(view);
  }

  fleet(): FleetSummary {
    return fleetSummary(this.listMiners(), this.#deps.difficulty());
  }

  subscribe(listener: (event: MonitorEvent) => void): () => void {
    const stop = this.#deps.monitor.subscribe(listener);
    this.#listeners.add(listener);
    return () => {
      stop();
      this.#listeners.delete(listener);
    };
  }

  async addMiner(input: AddMinerInput, options?: { signal?: AbortSignal }): Promise<MinerView> {
    return this.#shown(await this.#deps.monitor.addMiner(input, options));
  }

  async updateMiner(id: string, patch: UpdateMinerInput, actor?: string): Promise<MinerView> {
    return this.#shown(await this.#deps.monitor.updateMiner(id, patch, actor));
  }

  removeMiner(id: string, options?: { dropHistory?: boolean }): Promise<boolean> {
    return this.#deps.monitor.removeMiner(id, options);
  }

  /**
   * Restarts run on the instance polling the miner (see forwardRestart.ts); here when this one
   * polls it, when none does (nobody would confirm it anywhere else either), or without a forwarder.
   */
  restartMiner(id: string, actor?: string): Promise<RestartStatus> {
    const { monitor, owns, forwardRestart } = this.#deps;
    const owner = this.#polledBy.get(id);
    if (owns(id) || owner?.url == null || forwardRestart === undefined)
      return monitor.restartMiner(id, actor);
    // The miner must exist here too, so an unknown id is the same 404 on every instance.
    if (monitor.getMiner(id) === null) return monitor.restartMiner(id, actor);
    return forwardRestart({ id: owner.id, url: owner.url }, id);
  }

  series: Monitor['series'] = (id, query) => this.#deps.monitor.series(id, query);
  fleetSeries: Monitor['fleetSeries'] = (query) => this.#deps.monitor.fleetSeries(query);
  listAlerts: Monitor['listAlerts'] = (query) => this.#deps.monitor.listAlerts(query);
  listEvents: Monitor['listEvents'] = (query) => this.#deps.monitor.listEvents(query);
  health: Monitor['health'] = () => this.#deps.monitor.health();

  discover(
    target: string,
    options?: { signal?: AbortSignal; onProgress?: (progress: DiscoverProgress) => void },
  ): Promise<DiscoveredMiner[]> {
    return this.#deps.monitor.discover(target, options);
  }

  onPollLateness(listener: PollLatenessListener): () => void {
    return this.#deps.monitor.onPollLateness?.(listener) ?? (() => {});
  }
}
