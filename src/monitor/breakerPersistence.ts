/**
 * Breaker state across restarts: a miner that was failing when the monitor stopped is still
 * backed off when it starts, instead of being hammered again from zero.
 */
import type { CircuitBreakerSnapshot, RetryManager } from '../resilience/index.js';
import type { Storage } from '../storage/Storage.js';

/** The breakers the monitor owns and persists (transport breakers of other layers are theirs). */
export const PERSISTED_PREFIXES: readonly string[] = ['miner_operations:', 'notifier:', 'difficulty_api'];

export function persisted(name: string): boolean {
  return PERSISTED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** Restores saved breakers; returns how many snapshots could not be used (never throws). */
export async function restoreBreakers(storage: Storage, manager: RetryManager): Promise<number> {
  let saved: Awaited<ReturnType<Storage['loadBreakerSnapshots']>>;
  try {
    saved = await storage.loadBreakerSnapshots();
  } catch {
    return 1;
  }
  let failures = 0;
  for (const record of saved) {
    if (!persisted(record.name)) continue;
    try {
      manager.restore([record.snapshot as unknown as CircuitBreakerSnapshot]);
    } catch {
      // A snapshot from an older release that no longer parses: that breaker starts fresh.
      failures += 1;
    }
  }
  return failures;
}

/** Saves the monitor's breakers; rejects when storage does. */
export async function saveBreakers(storage: Storage, manager: RetryManager, now: number): Promise<void> {
  const snapshots = manager
    .snapshot()
    // A closed breaker with no failures is what a fresh one is: nothing worth keeping.
    .filter(
      (snapshot) => persisted(snapshot.name) && (snapshot.state !== 'closed' || snapshot.failureCount > 0),
    )
    .map((snapshot) => ({
      name: snapshot.name,
      snapshot: snapshot as unknown as Record<string, unknown>,
      savedAt: now,
    }));
  await storage.saveBreakerSnapshots(snapshots);
}
