/**
 * Which miners this instance may poll right now, by local time. A lease counts from its
 * handover (a miner taken from a live instance starts when that one stops) and only until the
 * lease could have run out on the server (`validUntil`: renewal started + lease), so an instance
 * cut off from the database stops polling before another may take its miners. An offered lease
 * ends at its handover time.
 */
interface Window {
  from: number;
  until: number;
  /** Offered: the taker starts at `until`, so this side polls until then even once the lease moved. */
  handedOver: boolean;
}

export class OwnershipGate {
  readonly #windows = new Map<string, Window>();

  /** True when this instance may poll the miner at local time `now`. */
  owns(minerId: string, now: number): boolean {
    const w = this.#windows.get(minerId);
    return w !== undefined && w.from <= now && now < w.until;
  }

  /** Miners held (some perhaps not yet or no longer pollable). */
  get size(): number {
    return this.#windows.size;
  }

  ids(): string[] {
    return [...this.#windows.keys()];
  }

  /**
   * The held leases after a renewal at local time `now`: the others go, except offered ones
   * whose handover is still ahead (the taker starts then). Held ones are valid until `until`.
   */
  renewed(held: readonly { minerId: string; until: number; offered: boolean }[], now: number): string[] {
    const keep = new Set<string>();
    for (const { minerId, until, offered } of held) {
      keep.add(minerId);
      const w = this.#windows.get(minerId);
      if (w === undefined)
        this.#windows.set(minerId, { from: Number.NEGATIVE_INFINITY, until, handedOver: offered });
      else {
        w.until = until;
        w.handedOver = offered;
      }
    }
    const lost: string[] = [];
    for (const [id, w] of this.#windows) {
      if (!keep.has(id) && !(w.handedOver && w.until > now)) {
        this.#windows.delete(id);
        lost.push(id);
      }
    }
    return lost;
  }

  /** A lease just claimed: pollable from `from` until `until`. */
  gained(minerId: string, from: number, until: number): void {
    this.#windows.set(minerId, { from, until, handedOver: false });
  }

  /** Shortens a window (an offer hands the miner over at `until`). */
  endAt(minerId: string, until: number): void {
    const w = this.#windows.get(minerId);
    if (w === undefined) return;
    w.until = Math.min(w.until, until);
    w.handedOver = true;
  }

  clear(): void {
    this.#windows.clear();
  }
}
