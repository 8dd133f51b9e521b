/**
 * One instance's part in a fleet shared through PostgreSQL. Every tick (a third of the lease) it
 * beats its heart, picks up miners other instances added or removed, renews its leases, and moves
 * towards its fair share: it claims free, expired or offered leases when it holds fewer, and
 * offers its surplus when it holds more (a new instance joined). The `OwnershipGate` it keeps is
 * what the poll scheduler asks before each poll; `onGained` tells the app when a taken miner
 * becomes pollable so its first poll is not left to the old schedule.
 */
import type { MonitorTimers } from '../timers.js';
import type { ResolvedClusterOptions } from './ClusterOptions.js';
import { fairShare } from './fairShare.js';
import type { LeaseTable } from './LeaseTable.js';
import { OwnershipGate } from './OwnershipGate.js';

export interface ClusterMemberDeps {
  readonly table: LeaseTable;
  readonly options: ResolvedClusterOptions;
  readonly timers: MonitorTimers;
  /** Brings the monitor's miner list in line with the database (miners other instances added or removed). */
  readonly syncMiners: () => Promise<void>;
  /**
   * Local time of the miner's first scheduled poll at or after `notBefore`. An offered miner is
   * handed over exactly then, so the new owner's first poll takes the place of the one the old
   * owner would have made: no gap, no double. @default notBefore
   */
  readonly nextPollAt?: (minerId: string, notBefore: number) => number;
  /**
   * The handover falls this long before that poll (half the miner's interval): the old owner
   * stops there, mid-way between two polls, and the new one starts at the poll, so a few ms of
   * disagreement between the two instances' clocks can neither double nor drop it. @default 0
   */
  readonly handoverLeadMs?: (minerId: string) => number;
  /** A claimed miner becomes pollable `delayMs` from now. */
  readonly onGained?: (minerId: string, delayMs: number) => void;
  /** A tick failed (the database went away); the next one tries again. */
  readonly onError?: (error: unknown) => void;
}

export interface ClusterStats {
  readonly instanceId: string;
  readonly leaseMs: number;
  readonly live: readonly string[];
  readonly held: number;
  readonly share: number;
  readonly ticks: number;
  readonly failedTicks: number;
}

/** An offer hands over after the takers' next tick, with half a tick to spare. */
const HANDOVER_TICKS = 1.5;

export class ClusterMember {
  readonly gate = new OwnershipGate();
  readonly #deps: ClusterMemberDeps;
  readonly #abort = new AbortController();
  #loop: Promise<void> | null = null;
  #ticking: Promise<void> | null = null;
  #live: readonly string[] = [];
  #share = 0;
  #ticks = 0;
  #failedTicks = 0;

  constructor(deps: ClusterMemberDeps) {
    this.#deps = deps;
  }

  get instanceId(): string {
    return this.#deps.options.instanceId;
  }

  /** True when this instance may poll the miner now. */
  owns(minerId: string): boolean {
    return this.gate.owns(minerId, this.#deps.timers.now());
  }

  stats(): ClusterStats {
    return {
      instanceId: this.instanceId,
      leaseMs: this.#deps.options.leaseMs,
      live: this.#live,
      held: this.gate.size,
      share: this.#share,
      ticks: this.#ticks,
      failedTicks: this.#failedTicks,
    };
  }

  /** Runs the first tick (so a lone instance owns its fleet before polling starts), then keeps ticking. */
  async start(): Promise<void> {
    if (this.#loop !== null) return;
    await this.tick();
    const { timers, options } = this.#deps;
    const signal = this.#abort.signal;
    this.#loop = (async () => {
      while (!signal.aborted) {
        try {
          await timers.sleep(options.tickMs, signal);
        } catch {
          return;
        }
        await this.tick().catch(() => undefined);
      }
    })();
  }

  /** One round; failures are reported to onError and counted, never thrown past the loop. */
  tick(): Promise<void> {
    this.#ticking ??= this.#round()
      .catch((error: unknown) => {
        this.#failedTicks += 1;
        this.#deps.onError?.(error);
      })
      .finally(() => {
        this.#ticking = null;
      });
    return this.#ticking;
  }

  async #round(): Promise<void> {
    const { table, options, timers, syncMiners } = this.#deps;
    const me = options.instanceId;
    const beat = await table.heartbeat(me, options.url, options.leaseMs);
    this.#live = beat.rows;
    await syncMiners();
    await table.dropOrphans();
    const renewStarted = timers.now();
    const renewed = await table.renew(me, options.leaseMs);
    const local = localTime(timers.now(), renewed.now);
    // The lease runs out on the server leaseMs after the renewal; counting from before it was
    // sent keeps this side's window inside the server's.
    const validUntil = renewStarted + options.leaseMs;
    this.gate.renewed(
      renewed.rows.map((r) => ({
        minerId: r.minerId,
        offered: r.offered,
        until: r.offered ? Math.min(validUntil, local(r.handoverAt)) : validUntil,
      })),
      timers.now(),
    );
    const size = await table.fleetSize();
    this.#share = fairShare(size, this.#live, me);
    const held = renewed.rows.length;
    if (held > this.#share) {
      const offered = renewed.rows.filter((r) => r.offered).length;
      const more = held - this.#share - offered;
      if (more > 0) {
        const ids = renewed.rows
          .filter((r) => !r.offered)
          .map((r) => r.minerId)
          .sort()
          .slice(-more);
        const notBefore = timers.now() + options.tickMs * HANDOVER_TICKS;
        const delays = ids.map((id) => {
          const lead = this.#lead(id);
          const poll = this.#deps.nextPollAt?.(id, notBefore + lead) ?? notBefore + lead;
          return Math.round(poll - lead - timers.now());
        });
        const answer = await table.offer(me, ids, delays);
        const at = localTime(timers.now(), answer.now);
        for (const r of answer.rows) this.gate.endAt(r.minerId, at(r.handoverAt));
      }
    } else if (held < this.#share) {
      const claimStarted = timers.now();
      const answer = await table.claim(me, this.#share - held, options.leaseMs);
      const now = timers.now();
      const at = localTime(now, answer.now);
      for (const r of answer.rows) {
        const handover = at(r.handoverAt);
        // Handed over: start the lead after the handover, where the old owner stopped a lead
        // before it. Free or expired: its last owner may have polled until the very expiry (its
        // renewals lagging, then it died), so wait the lead too rather than poll beside it.
        const from = Math.max(handover, now) + this.#lead(r.minerId);
        this.gate.gained(r.minerId, from, claimStarted + options.leaseMs);
        this.#deps.onGained?.(r.minerId, from - now);
      }
    }
    this.#ticks += 1;
  }

  #lead(minerId: string): number {
    return this.#deps.handoverLeadMs?.(minerId) ?? 0;
  }

  /** Stops ticking and hands every lease back at once, so the others take over on their next tick. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
    await this.#ticking;
    this.gate.clear();
    await this.#deps.table.leave(this.instanceId);
  }
}

/** Server time -> local time, by the offset seen when the answer arrived. */
function localTime(localNow: number, serverNow: number): (serverTime: number) => number {
  return (serverTime) => localNow + (serverTime - serverNow);
}
