/**
 * Runs each miner's poll on its own schedule: the next poll is due one interval (with jitter)
 * after the START of the last one, armed only once the last one finished, so a miner never
 * overlaps itself and a slow poll never piles up. A global semaphore caps polls in flight.
 */
import { setMaxListeners } from 'node:events';
import { LatenessHistogram } from './LatenessHistogram.js';
import { Semaphore } from './Semaphore.js';
import type { MonitorTimers, TimerHandle } from './timers.js';

/** What a poll may tell the scheduler about its own next run. */
export interface PollOutcome {
  /**
   * Run the next poll this many ms after the start of this one instead of the interval
   * (for example faster while a restart is being confirmed, or not before a breaker's trial).
   */
  readonly nextDelayMs?: number;
}

/** Returns (or resolves to) a PollOutcome, or anything else for "nothing to say". */
export type PollFunction = (id: string, signal: AbortSignal) => unknown;

export interface PollSchedulerOptions {
  readonly timers: MonitorTimers;
  /** @default Math.random */
  readonly random?: () => number;
  /** Polls running at once across all miners. @default 64 */
  readonly maxConcurrent?: number;
  /** Each delay is multiplied by a factor uniform in [1 - jitterRatio, 1 + jitterRatio]. @default 0.1 */
  readonly jitterRatio?: number;
  /**
   * First polls after `start()` (or for a miner added later) are spread uniformly over this share
   * of the interval, so a fleet does not fire all at once. @default 1
   */
  readonly initialSpreadRatio?: number;
  /** Called with each poll's lateness in ms (start minus due time, queueing included). */
  readonly onLateness?: (ms: number, id: string) => void;
  /** Called when a poll function throws; the schedule goes on. */
  readonly onError?: (error: unknown, id: string) => void;
}

/** Per miner: what it takes to run it again, nothing more. */
interface Slot {
  readonly id: string;
  intervalMs: number;
  timer: TimerHandle | null;
  dueAt: number;
  running: boolean;
  removed: boolean;
  /** Set when a "poll now" arrives while it runs: run again as soon as this one ends. */
  again: boolean;
}

export interface SchedulerStats {
  readonly miners: number;
  readonly inFlight: number;
  readonly queued: number;
  readonly polls: number;
  readonly errors: number;
  readonly lateness: ReturnType<LatenessHistogram['summary']>;
}

function checkRatio(name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new RangeError(`Expected \`${name}\` to be a number in [0, 1], got ${String(value)}`);
  }
  return value;
}

/** setTimeout fires a delay above 2^31 - 1 ms after 1 ms: such an interval would poll back to back. */
const MAX_TIMER_MS = 2_147_483_647;

export function checkIntervalMs(intervalMs: number): number {
  if (!Number.isFinite(intervalMs) || intervalMs < 100 || intervalMs > MAX_TIMER_MS) {
    throw new RangeError(
      `Expected \`intervalMs\` to be a number from 100 to ${MAX_TIMER_MS}, got ${String(intervalMs)}`,
    );
  }
  return intervalMs;
}

export class PollScheduler {
  readonly #timers: MonitorTimers;
  readonly #random: () => number;
  readonly #jitterRatio: number;
  readonly #spreadRatio: number;
  readonly #semaphore: Semaphore;
  readonly #poll: PollFunction;
  readonly #onLateness: ((ms: number, id: string) => void) | undefined;
  readonly #onError: ((error: unknown, id: string) => void) | undefined;
  readonly #slots = new Map<string, Slot>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  readonly lateness = new LatenessHistogram();
  #running = false;
  #polls = 0;
  #errors = 0;

  constructor(poll: PollFunction, options: PollSchedulerOptions) {
    this.#poll = poll;
    this.#timers = options.timers;
    this.#random = options.random ?? Math.random;
    this.#jitterRatio = checkRatio('jitterRatio', options.jitterRatio ?? 0.1);
    this.#spreadRatio = checkRatio('initialSpreadRatio', options.initialSpreadRatio ?? 1);
    this.#semaphore = new Semaphore(options.maxConcurrent ?? 64);
    this.#onLateness = options.onLateness;
    this.#onError = options.onError;
    // Every poll in flight listens on this one signal (hundreds at once is normal, not a leak).
    setMaxListeners(0, this.#abort.signal);
  }

  get running(): boolean {
    return this.#running;
  }

  has(id: string): boolean {
    return this.#slots.has(id);
  }

  /** Adds a miner (or changes its interval); its first poll is spread over the interval. */
  add(id: string, intervalMs: number): void {
    checkIntervalMs(intervalMs);
    const existing = this.#slots.get(id);
    if (existing !== undefined) {
      this.setInterval(id, intervalMs);
      return;
    }
    const slot: Slot = {
      id,
      intervalMs,
      timer: null,
      dueAt: 0,
      running: false,
      removed: false,
      again: false,
    };
    this.#slots.set(id, slot);
    if (this.#running) this.#armFirst(slot);
  }

  /** When the miner's next (or, while it runs, current) poll is or was due; undefined when not scheduled. */
  dueAt(id: string): number | undefined {
    const slot = this.#slots.get(id);
    return slot === undefined || (slot.timer === null && !slot.running) ? undefined : slot.dueAt;
  }

  /** Stops polling a miner; a poll in flight finishes but is not rescheduled. */
  remove(id: string): boolean {
    const slot = this.#slots.get(id);
    if (slot === undefined) return false;
    slot.removed = true;
    slot.timer?.cancel();
    slot.timer = null;
    this.#slots.delete(id);
    return true;
  }

  /** New interval; takes effect from the next arming (a waiting timer is re-armed now). */
  setInterval(id: string, intervalMs: number): void {
    checkIntervalMs(intervalMs);
    const slot = this.#slots.get(id);
    if (slot === undefined) return;
    const lastStart = slot.dueAt - slot.intervalMs;
    slot.intervalMs = intervalMs;
    if (this.#running && !slot.running && slot.timer !== null) {
      slot.timer.cancel();
      this.#arm(
        slot,
        Math.max(this.#timers.now(), lastStart) + this.#jittered(intervalMs) - this.#timers.now(),
      );
    }
  }

  /** Polls a miner as soon as a slot is free (after its current poll, if one runs). */
  pollNow(id: string): void {
    const slot = this.#slots.get(id);
    if (slot === undefined || !this.#running) return;
    if (slot.running) {
      slot.again = true;
      return;
    }
    slot.timer?.cancel();
    this.#arm(slot, 0);
  }

  start(): void {
    if (this.#running) return;
    if (this.#abort.signal.aborted) throw new Error('PollScheduler was stopped and cannot start again');
    this.#running = true;
    for (const slot of this.#slots.values()) this.#armFirst(slot);
  }

  /**
   * Stops arming polls and waits for those in flight. After `graceMs` the polls still running are
   * aborted through their signal (drivers then give up at once) and awaited.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.#running = false;
    for (const slot of this.#slots.values()) {
      slot.timer?.cancel();
      slot.timer = null;
    }
    if (this.#inFlight.size > 0) {
      const grace = new AbortController();
      const all = Promise.allSettled([...this.#inFlight]);
      const timedOut = this.#timers.sleep(graceMs, grace.signal).then(
        () => true,
        () => false,
      );
      const expired = await Promise.race([all.then(() => false), timedOut]);
      grace.abort();
      if (expired) this.#abort.abort(new Error('monitor stopping'));
      await all;
    }
    this.#abort.abort(new Error('monitor stopped'));
  }

  /** The cap on polls in flight. */
  get maxConcurrent(): number {
    return this.#semaphore.capacity;
  }

  stats(): SchedulerStats {
    return {
      miners: this.#slots.size,
      inFlight: this.#semaphore.active,
      queued: this.#semaphore.waiting,
      polls: this.#polls,
      errors: this.#errors,
      lateness: this.lateness.summary(),
    };
  }

  #jittered(ms: number): number {
    if (this.#jitterRatio === 0) return ms;
    return ms * (1 + this.#jitterRatio * (2 * this.#random() - 1));
  }

  #armFirst(slot: Slot): void {
    this.#arm(slot, this.#random() * this.#spreadRatio * slot.intervalMs);
  }

  #arm(slot: Slot, delayMs: number): void {
    const delay = Math.max(0, delayMs);
    slot.dueAt = this.#timers.now() + delay;
    slot.timer = this.#timers.setTimer(() => {
      slot.timer = null;
      this.#launch(slot);
    }, delay);
  }

  #launch(slot: Slot): void {
    if (!this.#running || slot.removed) return;
    slot.running = true;
    const task = this.#runOnce(slot).finally(() => {
      this.#inFlight.delete(task);
    });
    this.#inFlight.add(task);
  }

  async #runOnce(slot: Slot): Promise<void> {
    const release = await this.#semaphore.acquire();
    const startedAt = this.#timers.now();
    let outcome: unknown;
    try {
      if (!this.#running || slot.removed) return;
      const lateness = Math.max(0, startedAt - slot.dueAt);
      this.lateness.record(lateness);
      this.#onLateness?.(lateness, slot.id);
      this.#polls += 1;
      outcome = await this.#poll(slot.id, this.#abort.signal);
    } catch (error) {
      this.#errors += 1;
      this.#onError?.(error, slot.id);
    } finally {
      release();
      slot.running = false;
    }
    if (!this.#running || slot.removed) return;
    if (slot.again) {
      slot.again = false;
      this.#arm(slot, 0);
      return;
    }
    const requested =
      typeof outcome === 'object' && outcome !== null ? (outcome as PollOutcome).nextDelayMs : undefined;
    const spacing =
      requested !== undefined && Number.isFinite(requested) && requested >= 0
        ? requested
        : this.#jittered(slot.intervalMs);
    this.#arm(slot, startedAt + spacing - this.#timers.now());
  }
}
