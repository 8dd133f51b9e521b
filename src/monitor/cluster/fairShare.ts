/**
 * How many miners an instance should poll: the fleet split over the live instances as evenly as
 * integers allow, the larger shares going to the first ids in order. Every instance computes the
 * same split from the same list, and the shares add up to the fleet.
 */
export function fairShare(miners: number, live: readonly string[], me: string): number {
  const ordered = [...new Set([...live, me])].sort();
  const rank = ordered.indexOf(me);
  const base = Math.floor(miners / ordered.length);
  return base + (rank < miners % ordered.length ? 1 : 0);
}
