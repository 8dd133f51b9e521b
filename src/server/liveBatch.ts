/**
 * The live stream's wire format: monitor events coalesced into one compact batch per flush.
 *
 * A fleet of 10,000 miners polled every 10 s makes 1,000 samples a second. Sent whole (with the
 * device's raw replies) that was ~3 KB each; here a sample becomes a row of the fields the
 * dashboard's table shows, holding only what changed since the last row sent for that miner,
 * under a small number instead of the miner's UUID. Clients learn the numbers from the `hello`
 * sent when they connect and from `ids` in later batches. The batch is built once and the same
 * text goes to every open stream, so the cost does not grow with the number of tabs.
 *
 * Row keys (all optional; a key present with null means the device stopped reporting it):
 * `s` status, `sr` status reason, `t` ms between the sample and the batch's `at`, `h` hashrate
 * GH/s, `x` expected hashrate GH/s, `c` hottest chip °C, `v` VR °C, `b` hottest board °C, `w` power W, `a` shares
 * accepted, `r` shares rejected, `d` best difficulty, `u` uptime s (sent only when it differs
 * from the last one sent plus the time since, as after a reboot), `k` the state of the miner's
 * breaker.
 *
 * Fleet actions go out as `action` messages, one per action that moved since the last flush,
 * sent after that flush's `changes` (which carries the numbers of any miner new to the client):
 * `{ id, state, halted, haltReason, counts, m }`, `m` holding only the miners that moved, miner
 * number -> state, or `[state, error]` for a failure.
 */

import type { MinerSample } from '../miners/MinerSample.js';
import type { ActionChange, ActionSummary, MinerActionState } from '../monitor/actions/Action.js';
import type { MonitorEvent } from '../monitor/types.js';

export interface LiveRow {
  s?: string;
  sr?: string | null;
  t?: number;
  h?: number | null;
  x?: number | null;
  c?: number | null;
  v?: number | null;
  b?: number | null;
  w?: number | null;
  a?: number | null;
  r?: number | null;
  d?: number | null;
  u?: number | null;
  k?: string;
}

/** The batch as a client reads it (the `data` of an SSE `changes` message). */
export interface LiveChanges {
  /** Epoch ms at which the batch was sent. */
  readonly at: number;
  /** Numbers given to miners since the last batch: number -> miner id. */
  readonly ids?: Readonly<Record<string, string>>;
  /** Miner number -> what changed. */
  readonly m?: Readonly<Record<string, LiveRow>>;
  /** Events that are not a sample or a status change (alerts, miners added, restarts, ...). */
  readonly e?: readonly MonitorEvent[];
}

/** A miner's state in an `action` message, with the error when it failed. */
export type LiveActionMiner = MinerActionState | readonly [MinerActionState, string];

/** An `action` message: the action's summary and the miners that moved, by number. */
export interface LiveAction extends Omit<ActionSummary, 'action' | 'createdAt' | 'finishedAt'> {
  readonly m?: Readonly<Record<string, LiveActionMiner>>;
}

/** The prefix of the one breaker that guards each miner (DESIGN.md). */
const MINER_BREAKER = 'miner_operations:';
/** Uptime that drifts from the extrapolated value by more than this is sent again (s). */
const UPTIME_SLACK_S = 30;

type SampleFields = 'h' | 'x' | 'c' | 'v' | 'b' | 'w' | 'a' | 'r' | 'd';

/** Rounds to one decimal: the dashboard shows three significant figures. */
function tenth(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

function hottest(values: readonly number[]): number | null {
  let max: number | null = null;
  for (const v of values) if (max === null || v > max) max = v;
  return max;
}

function rowOf(sample: MinerSample): Record<SampleFields, number | null> {
  return {
    h: tenth(sample.hashrateGhs),
    x: tenth(sample.expectedHashrateGhs),
    c: tenth(sample.maxChipTemperatureC ?? sample.temperatureC),
    v: tenth(sample.vrTemperatureC),
    b: tenth(hottest(sample.boardTemperaturesC)),
    w: tenth(sample.powerW),
    a: sample.sharesAccepted,
    r: sample.sharesRejected,
    d: sample.bestDifficulty,
  };
}

interface Sent {
  fields: Record<SampleFields, number | null>;
  /** The uptime last sent and the sample time it belonged to; clients count on from there. */
  readonly uptimeS: number | null;
  readonly uptimeAt: number;
}

/** True when the sample's uptime is the one last sent plus the time since (no reboot, no gap). */
function uptimeFollows(sent: Sent, sample: MinerSample): boolean {
  if (sent.uptimeS === null || sample.uptimeS === null) return sent.uptimeS === sample.uptimeS;
  const expected = sent.uptimeS + (sample.timestamp - sent.uptimeAt) / 1000;
  return Math.abs(sample.uptimeS - expected) <= UPTIME_SLACK_S;
}

export class LiveBatch {
  /** Miner id -> its number on the wire; numbers are never reused while the process runs. */
  readonly #numberOf = new Map<string, number>();
  readonly #ids: (string | null)[] = [];
  /** What each client already has, so a row carries only what changed. */
  readonly #sent = new Map<string, Sent>();
  #newIds: Record<string, string> = {};
  #rows = new Map<number, LiveRow>();
  #samples = new Map<string, MinerSample>();
  #events: MonitorEvent[] = [];
  #actions = new Map<string, { summary: ActionSummary; m: Record<number, LiveActionMiner> }>();

  get pending(): boolean {
    return this.#rows.size > 0 || this.#samples.size > 0 || this.#events.length > 0 || this.#actions.size > 0;
  }

  /** The numbering so far, sent to a client when it connects: index -> miner id. */
  hello(): string {
    return JSON.stringify({ ids: this.#ids });
  }

  #number(minerId: string): number {
    let n = this.#numberOf.get(minerId);
    if (n === undefined) {
      n = this.#ids.length;
      this.#ids.push(minerId);
      this.#numberOf.set(minerId, n);
      this.#newIds[n] = minerId;
    }
    return n;
  }

  #row(minerId: string): LiveRow {
    const n = this.#number(minerId);
    let row = this.#rows.get(n);
    if (row === undefined) {
      row = {};
      this.#rows.set(n, row);
    }
    return row;
  }

  add(event: MonitorEvent): void {
    switch (event.type) {
      case 'sample':
        // Only the newest sample of a miner in a batch matters; it is turned into a row at flush.
        this.#number(event.minerId);
        this.#samples.set(event.minerId, event.sample);
        return;
      case 'status': {
        const row = this.#row(event.minerId);
        row.s = event.to;
        row.sr = event.reason;
        return;
      }
      case 'breaker':
        if (event.name.startsWith(MINER_BREAKER)) {
          const id = event.name.slice(MINER_BREAKER.length);
          if (this.#numberOf.has(id)) {
            this.#row(id).k = event.to;
            return;
          }
        }
        this.#events.push(event);
        return;
      case 'event':
        // The event log is read on demand (GET /api/miners/:id/events); it is not streamed.
        return;
      case 'miner':
        if (event.action === 'removed') {
          this.#sent.delete(event.minerId);
          this.#samples.delete(event.minerId);
        }
        this.#events.push(event);
        return;
      default:
        this.#events.push(event);
    }
  }

  /** Coalesces an action's changes until the next flush: its newest summary, each miner's newest state. */
  addAction(change: ActionChange): void {
    const id = change.action.id;
    let entry = this.#actions.get(id);
    if (entry === undefined) {
      entry = { summary: change.action, m: {} };
      this.#actions.set(id, entry);
    }
    entry.summary = change.action;
    const miner = change.miner;
    if (miner !== null) {
      entry.m[this.#number(miner.minerId)] = miner.error === null ? miner.state : [miner.state, miner.error];
    }
  }

  /** The `action` messages of everything added since the last call, as JSON; call after `take`. */
  takeActions(): string[] {
    const messages: string[] = [];
    for (const { summary, m } of this.#actions.values()) {
      const message: LiveAction = {
        id: summary.id,
        state: summary.state,
        halted: summary.halted,
        haltReason: summary.haltReason,
        counts: summary.counts,
        ...(Object.keys(m).length > 0 ? { m } : {}),
      };
      messages.push(JSON.stringify(message));
    }
    this.#actions = new Map();
    return messages;
  }

  #sampleRow(minerId: string, sample: MinerSample, at: number): void {
    const row = this.#row(minerId);
    const fields = rowOf(sample);
    const sent = this.#sent.get(minerId);
    row.t = Math.max(0, at - sample.timestamp);
    for (const key of Object.keys(fields) as SampleFields[]) {
      if (sent === undefined || sent.fields[key] !== fields[key]) row[key] = fields[key];
    }
    if (sent !== undefined && uptimeFollows(sent, sample)) {
      sent.fields = fields;
      return;
    }
    row.u = sample.uptimeS;
    this.#sent.set(minerId, { fields, uptimeS: sample.uptimeS, uptimeAt: sample.timestamp });
  }

  /** The batch of everything added since the last call, as JSON, or null when nothing was. */
  take(at: number): string | null {
    if (!this.pending) return null;
    for (const [minerId, sample] of this.#samples) this.#sampleRow(minerId, sample, at);
    const batch: {
      at: number;
      ids?: Record<string, string>;
      m?: Record<number, LiveRow>;
      e?: MonitorEvent[];
    } = {
      at,
    };
    if (Object.keys(this.#newIds).length > 0) batch.ids = this.#newIds;
    if (this.#rows.size > 0) batch.m = Object.fromEntries(this.#rows);
    if (this.#events.length > 0) batch.e = this.#events;
    this.#newIds = {};
    this.#rows = new Map();
    this.#samples = new Map();
    this.#events = [];
    return JSON.stringify(batch);
  }

  /** Forgets what clients were sent; the next rows carry every field again. */
  resetSent(): void {
    this.#sent.clear();
  }
}
