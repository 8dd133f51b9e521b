/**
 * Keeps the live view of a shared fleet current on every instance: every `liveMs` it writes the
 * views of the miners it polls that changed since (a sample, a status, a restart or a breaker
 * move), in one statement, then reads the others' changes, in one statement, into the
 * `SharedFleetView` the API shows. Nothing is polled, reduced or alerted on for the others.
 */
import { breakerName } from '../MinerEntry.js';
import type { MonitorTimers } from '../timers.js';
import type { Monitor } from '../types.js';
import type { LiveTable, PublishedView } from './LiveTable.js';
import { liveViewOf } from './LiveView.js';
import type { SharedFleetView } from './SharedFleetView.js';

export interface LiveShareDeps {
  readonly table: LiveTable;
  readonly instanceId: string;
  /** This instance's own monitor: what it polls, as it holds it. */
  readonly monitor: Pick<Monitor, 'subscribe' | 'getMiner'>;
  readonly owns: (minerId: string) => boolean;
  readonly view: SharedFleetView;
  readonly timers: MonitorTimers;
  readonly liveMs: number;
  /** A round failed (the database went away); the next one tries again with everything still due. */
  readonly onError?: (error: unknown) => void;
}

/** Rows read twice rather than missed: a write committed just after a read began, with an earlier time. */
const READ_OVERLAP_MS = 2000;
const BREAKER_PREFIX = breakerName('');

export class LiveShare {
  readonly #deps: LiveShareDeps;
  readonly #abort = new AbortController();
  #dirty = new Set<string>();
  #since = 0;
  #unsubscribe: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #rounds = 0;

  constructor(deps: LiveShareDeps) {
    this.#deps = deps;
  }

  get rounds(): number {
    return this.#rounds;
  }

  /** Starts listening and runs the first round, so the API shows the fleet from the start. */
  async start(): Promise<void> {
    if (this.#loop !== null) return;
    this.#unsubscribe = this.#deps.monitor.subscribe((event) => {
      if (event.type === 'sample' || event.type === 'status') this.#dirty.add(event.minerId);
      else if (event.type === 'restart') this.#dirty.add(event.restart.minerId);
      else if (event.type === 'breaker' && event.name.startsWith(BREAKER_PREFIX))
        this.#dirty.add(event.name.slice(BREAKER_PREFIX.length));
    });
    await this.round().catch((error: unknown) => this.#deps.onError?.(error));
    const signal = this.#abort.signal;
    this.#loop = (async () => {
      while (!signal.aborted) {
        try {
          await this.#deps.timers.sleep(this.#deps.liveMs, signal);
        } catch {
          return;
        }
        await this.round().catch((error: unknown) => this.#deps.onError?.(error));
      }
    })();
  }

  /** One write of what changed here and one read of what changed elsewhere. */
  async round(): Promise<void> {
    const { table, instanceId, monitor, owns, view } = this.#deps;
    const due = this.#dirty;
    this.#dirty = new Set();
    const views: PublishedView[] = [];
    for (const id of due) {
      const miner = owns(id) ? monitor.getMiner(id) : null;
      if (miner !== null) views.push({ minerId: id, view: liveViewOf(miner) });
    }
    try {
      await table.publish(instanceId, views);
    } catch (error) {
      for (const id of due) this.#dirty.add(id);
      throw error;
    }
    const answer = await table.read(instanceId, this.#since);
    view.apply(answer.rows);
    this.#since = answer.now - READ_OVERLAP_MS;
    this.#rounds += 1;
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await this.#loop;
  }
}
