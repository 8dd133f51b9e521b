/**
 * The one place a transition is applied: `reduce` decides, this stores the new state on the
 * entry, saves a new all-time best, records the events, emits status and restart changes, feeds
 * the alert engine and hands the reducer's effects (a watchdog restart) to whoever carries them.
 */
import type { Storage } from '../storage/Storage.js';
import type { AlertEngine } from './AlertEngine.js';
import type { Background } from './Background.js';
import type { EventHub } from './EventHub.js';
import type { EventLog } from './EventLog.js';
import type { MinerEntry } from './MinerEntry.js';
import type { Effect, MinerInput, Transition } from './state/MinerState.js';
import { reduce } from './state/reduce.js';
import type { ReducerSettings, WatchdogSettings } from './state/settings.js';
import type { MonitorClock } from './timers.js';

export interface TransitionsDeps {
  readonly storage: Pick<Storage, 'updateBestDifficulty'>;
  readonly hub: EventHub;
  readonly alerts: AlertEngine;
  readonly events: EventLog;
  readonly background: Background;
  readonly clock: MonitorClock;
  readonly settings: ReducerSettings;
  /** Carries out what the reducer asked for (the watchdog's restarts). */
  readonly onEffect: (entry: MinerEntry, effect: Effect) => void;
}

export class Transitions {
  readonly #deps: TransitionsDeps;
  #settings: ReducerSettings;

  constructor(deps: TransitionsDeps) {
    this.#deps = deps;
    this.#settings = deps.settings;
  }

  get settings(): ReducerSettings {
    return this.#settings;
  }

  /** The watchdog can be switched while running (the dashboard); the next input is judged with it. */
  setWatchdog(watchdog: WatchdogSettings): void {
    this.#settings = { ...this.#settings, watchdog };
  }

  apply(entry: MinerEntry, input: MinerInput): Transition {
    const { storage, hub, alerts, events, background, clock } = this.#deps;
    const settings = this.#settings;
    const now = clock.now();
    const id = entry.record.id;
    const prev = entry.state;
    const next = reduce(prev, input, { now, settings });
    const { state } = next;
    entry.state = state;
    if (state.allTimeBest !== null && state.allTimeBest !== prev.allTimeBest) {
      background.track(storage.updateBestDifficulty(id, state.allTimeBest, now));
    }
    for (const event of next.events) events.record(id, event.type, event.severity, event.message, event.data);
    if (state.status !== prev.status) {
      hub.emit({
        type: 'status',
        minerId: id,
        from: prev.status,
        to: state.status,
        reason: state.reason,
        at: now,
      });
    }
    if (state.restart !== prev.restart && state.restart !== null)
      hub.emit({ type: 'restart', restart: state.restart });
    alerts.observe(id, next.conditions, next.events, now, entry.record.name);
    for (const effect of next.effects) this.#deps.onEffect(entry, effect);
    return next;
  }
}
