/**
 * Changing, moving and removing monitored miners: the commands that touch only the monitor's own
 * state and storage, never the device.
 */
import type { RetryManager } from '../resilience/index.js';
import type { MinerRecord, Storage } from '../storage/Storage.js';
import type { AlertEngine } from './AlertEngine.js';
import { checkUpdateInput } from './checkInput.js';
import type { EventHub } from './EventHub.js';
import type { EventLog } from './EventLog.js';
import type { Fleet } from './Fleet.js';
import { breakerName, effectiveInterval, type MinerEntry } from './MinerEntry.js';
import type { PollScheduler } from './PollScheduler.js';
import type { MonitorClock } from './timers.js';
import type { UpdateMinerInput } from './types.js';

export interface MinerEditorDeps {
  readonly fleet: Fleet;
  readonly storage: Storage;
  readonly scheduler: Pick<PollScheduler, 'add' | 'remove' | 'setInterval' | 'pollNow'>;
  readonly retryManager: RetryManager;
  readonly alerts: Pick<AlertEngine, 'clearMiner'>;
  readonly events: EventLog;
  readonly hub: EventHub;
  readonly clock: MonitorClock;
  readonly defaultIntervalMs: number;
}

export class MinerEditor {
  readonly #deps: MinerEditorDeps;

  constructor(deps: MinerEditorDeps) {
    this.#deps = deps;
  }

  /** `actor` names who asked (`api:<client>`, `cli`), for the event a login change writes. */
  async update(id: string, patch: UpdateMinerInput, actor = 'api'): Promise<MinerEntry> {
    const { fleet, storage, clock, events, scheduler, retryManager } = this.#deps;
    const entry = fleet.require(id);
    const checked = checkUpdateInput(patch);
    const record: MinerRecord = {
      ...entry.record,
      ...(checked.name === undefined ? {} : { name: checked.name.trim() }),
      ...(checked.intervalMs === undefined ? {} : { intervalMs: checked.intervalMs }),
      ...(checked.enabled === undefined ? {} : { enabled: checked.enabled }),
      ...(checked.tags === undefined ? {} : { tags: checked.tags }),
      ...(checked.credentials === undefined ? {} : { credentials: checked.credentials }),
      updatedAt: clock.now(),
    };
    await storage.saveMinerConfig(record);
    this.adopt(entry, record);
    if (checked.credentials !== undefined) {
      // Who and whether, never the login itself: events are shown, exported and sent on.
      const what = checked.credentials === null ? 'removed' : 'set';
      events.record(
        id,
        'credentials_changed',
        'info',
        `${actor} ${what} the device login of ${record.name}`,
        {
          actor,
          hasCredentials: checked.credentials !== null,
        },
      );
      // The failures the breaker counted were answers to the old login (or to none): the new one
      // gets its own answer, and the next poll says at once whether the device takes it.
      retryManager.reset(breakerName(id));
      if (record.enabled) scheduler.pollNow(id);
    }
    return entry;
  }

  /**
   * Puts a saved record in force: this editor's own update, or one another instance sharing the
   * database saved (MinerManager.reloadMiners). The schedule follows its interval and enabled
   * (polls stay with whichever instance holds the lease), and the change is announced.
   */
  adopt(entry: MinerEntry, record: MinerRecord): void {
    const { fleet, scheduler, hub, defaultIntervalMs } = this.#deps;
    const id = record.id;
    const wasEnabled = entry.record.enabled;
    fleet.setRecord(entry, record);
    const interval = effectiveInterval(record, defaultIntervalMs);
    if (record.enabled && !wasEnabled) scheduler.add(id, interval);
    else if (!record.enabled && wasEnabled) scheduler.remove(id);
    else if (record.enabled) scheduler.setInterval(id, interval);
    hub.emit({ type: 'miner', action: 'updated', minerId: id });
  }

  /** Identity by MAC: the same device at a new address keeps its id and history. */
  async move(entry: MinerEntry, host: string, port: number): Promise<boolean> {
    const { fleet, storage, scheduler, hub, events, clock } = this.#deps;
    const { record } = entry;
    if (record.host === host && record.port === port) return false;
    const moved: MinerRecord = { ...record, host, port, updatedAt: clock.now() };
    await storage.saveMinerConfig(moved);
    fleet.setRecord(entry, moved);
    events.record(
      record.id,
      'address_changed',
      'info',
      `${record.name} moved from ${record.host}:${record.port} to ${host}:${port}`,
      { from: `${record.host}:${record.port}`, to: `${host}:${port}` },
    );
    hub.emit({ type: 'miner', action: 'updated', minerId: record.id });
    if (record.enabled) scheduler.pollNow(record.id);
    return true;
  }

  async remove(id: string, options: { dropHistory?: boolean } = {}): Promise<boolean> {
    const { fleet, storage, scheduler, retryManager, alerts, hub, events, clock } = this.#deps;
    const entry = fleet.remove(id);
    if (entry === undefined) return false;
    scheduler.remove(id);
    alerts.clearMiner(id, clock.now());
    retryManager.delete(breakerName(id));
    await storage.deleteMiner(
      id,
      options.dropHistory === undefined ? {} : { dropHistory: options.dropHistory },
    );
    events.record(
      null,
      'miner_removed',
      'info',
      `Removed miner ${entry.record.name} (${entry.record.host}:${entry.record.port})`,
      { minerId: id },
    );
    hub.emit({ type: 'miner', action: 'removed', minerId: id });
    return true;
  }
}
