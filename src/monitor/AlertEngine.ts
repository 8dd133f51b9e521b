/**
 * Alerts follow conditions: one open alert per condition and miner until the condition has been
 * clear for `clearAfterMs` (so a flapping miner keeps ONE alert instead of opening a new one per
 * flap), with a reminder every `reminderIntervalMs` while it holds. One-off events (a reboot, a
 * pool change, a block) become alerts that are closed at once and rate-limited per key.
 * Open alerts are reloaded from storage at start, so de-duplication survives a restart.
 */
import type { AlertRecord, Severity, Storage } from '../storage/Storage.js';
import type { ConditionName } from './state/MinerState.js';

export type AlertAction = 'opened' | 'reminder' | 'cleared';

export interface AlertEngineOptions {
  readonly storage: Pick<Storage, 'upsertAlert' | 'listAlerts'>;
  /** Called for every alert change; the manager emits it and hands it to the notifiers. */
  readonly onAlert: (action: AlertAction, alert: AlertRecord) => void;
  readonly onError?: (error: unknown) => void;
  /** @default 14400000 (4 hours) */
  readonly reminderIntervalMs?: number;
  /** How long a condition must stay clear before its alert closes. @default 300000 */
  readonly clearAfterMs?: number;
  /** The same one-off alert (per miner and type) is not sent again within this. @default 900000 */
  readonly instantCooldownMs?: number;
}

/** Which event opens each condition's alert (its message becomes the alert's). */
const OPENING_EVENT: Readonly<Record<ConditionName, string>> = {
  offline: 'went_offline',
  overheating: 'overheating',
  hashrate_low: 'hashrate_low',
  reject_rate_high: 'reject_rate_high',
  not_hashing: 'not_hashing',
};

const CONDITION_SEVERITY: Readonly<Record<ConditionName, Severity>> = {
  offline: 'critical',
  overheating: 'critical',
  hashrate_low: 'warning',
  reject_rate_high: 'warning',
  not_hashing: 'critical',
};

/** One-off events worth telling someone about: news, surprises, and every restart's fate. */
const INSTANT_TYPES: ReadonlySet<string> = new Set([
  'rebooted',
  'pool_changed',
  'block_found',
  'best_difficulty_session',
  'best_difficulty_all_time',
  'best_difficulty_implausible',
  'restart_requested',
  'restart_confirmed',
  'restart_failed',
  'restart_unconfirmed',
  'watchdog_gave_up',
  'settings_drift',
]);

/** The part of an event alerts read (policy events and the manager's own fit). */
export interface AlertableEvent {
  readonly type: string;
  readonly severity: Severity;
  readonly message: string;
}

interface OpenAlert {
  record: AlertRecord;
  clearingSince: number | null;
}

export function alertKey(condition: string, minerId: string | null): string {
  return minerId === null ? condition : `${condition}:${minerId}`;
}

function checkMs(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`Expected \`${name}\` to be a number of ms >= 0, got ${String(value)}`);
  }
  return value;
}

export class AlertEngine {
  readonly #storage: AlertEngineOptions['storage'];
  readonly #onAlert: AlertEngineOptions['onAlert'];
  readonly #onError: (error: unknown) => void;
  readonly #reminderMs: number;
  readonly #clearAfterMs: number;
  readonly #instantCooldownMs: number;
  readonly #open = new Map<string, OpenAlert>();
  readonly #lastInstant = new Map<string, number>();
  readonly #pending = new Set<Promise<void>>();
  #writeFailures = 0;

  constructor(options: AlertEngineOptions) {
    this.#storage = options.storage;
    this.#onAlert = options.onAlert;
    this.#onError = options.onError ?? (() => undefined);
    this.#reminderMs = checkMs('reminderIntervalMs', options.reminderIntervalMs ?? 14_400_000);
    this.#clearAfterMs = checkMs('clearAfterMs', options.clearAfterMs ?? 300_000);
    this.#instantCooldownMs = checkMs('instantCooldownMs', options.instantCooldownMs ?? 900_000);
  }

  /** Reloads open alerts from storage; returns how many. */
  async restore(): Promise<number> {
    const open = await this.#storage.listAlerts({ openOnly: true });
    for (const record of open) {
      if (record.clearedAt === null) this.#open.set(record.key, { record, clearingSince: null });
    }
    return this.#open.size;
  }

  /** Open alerts, newest first. */
  openAlerts(): AlertRecord[] {
    return [...this.#open.values()].map((entry) => entry.record).sort((a, b) => b.openedAt - a.openedAt);
  }

  get writeFailures(): number {
    return this.#writeFailures;
  }

  /** Applies one poll's observed conditions and events for a miner. */
  observe(
    minerId: string,
    conditions: Readonly<Partial<Record<ConditionName, boolean>>>,
    events: readonly AlertableEvent[],
    now: number,
    label: string = minerId,
  ): void {
    for (const [name, active] of Object.entries(conditions) as [ConditionName, boolean][]) {
      const key = alertKey(name, minerId);
      const entry = this.#open.get(key);
      if (active) {
        if (entry === undefined) {
          const event = events.find((candidate) => candidate.type === OPENING_EVENT[name]);
          const message = `${label}: ${event?.message ?? `condition ${name} holds`}`;
          this.#openAlert(key, minerId, name, event?.severity ?? CONDITION_SEVERITY[name], message, now);
        } else {
          entry.clearingSince = null;
          const last = entry.record.lastNotifiedAt ?? entry.record.openedAt;
          if (now - last >= this.#reminderMs) {
            this.#update(
              entry,
              { lastNotifiedAt: now, notifications: entry.record.notifications + 1 },
              'reminder',
            );
          }
        }
      } else if (entry !== undefined) {
        entry.clearingSince ??= now;
        if (now - entry.clearingSince >= this.#clearAfterMs) this.#clear(key, entry, now);
      }
    }
    for (const event of events) {
      if (INSTANT_TYPES.has(event.type)) this.#instant(minerId, event, now, label);
    }
  }

  /** Closes every open alert of a miner (it was removed). */
  clearMiner(minerId: string, now: number): void {
    for (const [key, entry] of this.#open) {
      if (entry.record.minerId === minerId) this.#clear(key, entry, now);
    }
  }

  /** Resolves when every storage write issued so far has settled. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #instant(minerId: string, event: AlertableEvent, now: number, label: string): void {
    const key = alertKey(event.type, minerId);
    const last = this.#lastInstant.get(key);
    if (last !== undefined && now - last < this.#instantCooldownMs) return;
    this.#lastInstant.set(key, now);
    const record: AlertRecord = {
      // Storage keeps one row per (key, openedAt), so a stable key still records every occurrence.
      key,
      minerId,
      condition: event.type,
      severity: event.severity,
      message: `${label}: ${event.message}`,
      openedAt: now,
      lastNotifiedAt: now,
      notifications: 1,
      clearedAt: now,
    };
    this.#write(record);
    this.#onAlert('opened', record);
  }

  #openAlert(
    key: string,
    minerId: string,
    condition: ConditionName,
    severity: Severity,
    message: string,
    now: number,
  ): void {
    const record: AlertRecord = {
      key,
      minerId,
      condition,
      severity,
      message,
      openedAt: now,
      lastNotifiedAt: now,
      notifications: 1,
      clearedAt: null,
    };
    this.#open.set(key, { record, clearingSince: null });
    this.#write(record);
    this.#onAlert('opened', record);
  }

  #update(entry: OpenAlert, patch: Partial<AlertRecord>, action: AlertAction): void {
    entry.record = { ...entry.record, ...patch };
    this.#write(entry.record);
    this.#onAlert(action, entry.record);
  }

  #clear(key: string, entry: OpenAlert, now: number): void {
    this.#open.delete(key);
    this.#update(entry, { clearedAt: now }, 'cleared');
  }

  #write(record: AlertRecord): void {
    // The alert is already live in memory and sent on; a database hiccup must not stop either.
    const write = this.#storage
      .upsertAlert(record)
      .catch((error: unknown) => {
        this.#writeFailures += 1;
        this.#onError(error);
      })
      .finally(() => this.#pending.delete(write));
    this.#pending.add(write);
  }
}
