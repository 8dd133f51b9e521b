import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCircuitOpenError, isDatabaseConnectionError } from '../../src/resilience/index.js';
import type { DropEvent } from '../../src/storage/index.js';
import { harness, NOW, sample, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let path: string;
let blocker: BetterSqlite3.Database | undefined;
beforeEach(() => {
  tmp = tempDir();
  path = tmp.file('queue.db');
});
afterEach(() => {
  if (blocker?.inTransaction) blocker.exec('ROLLBACK');
  blocker?.close();
  blocker = undefined;
  tmp.remove();
});

function samples(count: number, start = 0): ReturnType<typeof sample>[] {
  return Array.from({ length: count }, (_, i) => sample('m1', NOW + (start + i) * 1000));
}

/** Rows on disk, read through a connection of its own. */
function rowsOnDisk(): number {
  const db = new BetterSqlite3(path, { readonly: true });
  const count = db.prepare('SELECT count(*) FROM metrics').pluck().get() as number;
  db.close();
  return count;
}

/** A second connection that holds the write lock until released. */
function lockDatabase(): void {
  blocker = new BetterSqlite3(path);
  blocker.exec('BEGIN IMMEDIATE');
}

function releaseLock(): void {
  blocker?.exec('COMMIT');
}

describe('when the database is locked', () => {
  it('retries a flush until a second connection releases its write lock', async () => {
    const { storage, clock, manager } = harness(path, { retry: { jitter: 'none' } });
    await storage.initialize();
    lockDatabase();
    await storage.saveMetrics(samples(3));
    let flushed = false;
    const flushing = storage.flush().then(() => {
      flushed = true;
    });
    await clock.advance(0);
    expect(flushed).toBe(false);
    expect(manager.getStats().database?.failures).toBe(1);
    releaseLock();
    await clock.advance(500);
    await flushing;
    expect(rowsOnDisk()).toBe(3);
    expect(storage.stats()).toMatchObject({ written: 3, flushFailures: 0, available: true });
    await storage.close();
  });

  it('keeps samples up to maxQueued while the breaker is open, counts the rest, then writes them all', async () => {
    const drops: DropEvent[] = [];
    const onError = vi.fn();
    const { storage, clock } = harness(path, {
      batchSize: 10,
      maxQueued: 50,
      flushIntervalMs: 1000,
      retry: {
        maxAttempts: 3,
        jitter: 'none',
        failureThreshold: 3,
        recoveryTimeoutMs: 10_000,
        successThreshold: 1,
      },
      onDrop: (event) => drops.push(event),
      onError,
    });
    await storage.initialize();
    lockDatabase();
    await storage.saveMetrics(samples(20));
    const first = storage.flush().catch((e: unknown) => e);
    await clock.advance(1500);
    const error = await first;
    expect(isDatabaseConnectionError(error)).toBe(true);
    expect((error as Error).message).toContain(path);
    let health = await storage.health();
    expect(health.breaker).toBe('open');
    expect(health.ok).toBe(false);
    expect(storage.stats()).toMatchObject({ queued: 20, available: false, flushFailures: 1 });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ operation: 'flush' }));

    // Open breaker: refused at once, nothing waits on the lock.
    const refused = await storage.flush().catch((e: unknown) => e);
    expect(isCircuitOpenError(refused)).toBe(true);

    const result = await storage.saveMetrics(samples(40, 20));
    expect(result).toEqual({ accepted: 30, dropped: 10 });
    expect(storage.stats()).toMatchObject({ queued: 50, dropped: 10, accepted: 50 });
    expect(drops).toEqual([
      { dropped: 10, totalDropped: 10, queued: 50, maxQueued: 50, reason: 'queue_full' },
    ]);

    releaseLock();
    await clock.advance(10_000);
    await storage.flush();
    health = await storage.health();
    expect(health.breaker).toBe('closed');
    expect(health.ok).toBe(true);
    expect(storage.stats()).toMatchObject({ queued: 0, written: 50, dropped: 10, available: true });
    expect(rowsOnDisk()).toBe(50);
    await storage.close();
  });

  it('makes a last direct write at close when the breaker is still cooling down', async () => {
    const { storage, clock } = harness(path, {
      retry: { maxAttempts: 1, failureThreshold: 1, recoveryTimeoutMs: 60_000 },
    });
    await storage.initialize();
    lockDatabase();
    await storage.saveMetrics(samples(4));
    await expect(storage.flush()).rejects.toThrow(/busy|locked/i);
    expect((await storage.health()).breaker).toBe('open');
    releaseLock();
    await clock.advance(0);
    await storage.close();
    expect(rowsOnDisk()).toBe(4);
    expect(storage.stats()).toMatchObject({ dropped: 0, written: 4 });
  });

  it('lets a caller stop waiting for a flush without giving up the samples', async () => {
    const { storage, clock } = harness(path, { retry: { jitter: 'none' } });
    await storage.initialize();
    lockDatabase();
    await storage.saveMetrics(samples(3));
    const controller = new AbortController();
    const waiting = storage.flush({ signal: controller.signal }).catch((e: unknown) => e);
    await clock.advance(0);
    controller.abort(new Error('shutting down the request'));
    expect(await waiting).toMatchObject({ message: 'shutting down the request' });
    releaseLock();
    await clock.advance(5000);
    await storage.flush();
    expect(rowsOnDisk()).toBe(3);
    await storage.close();
  });

  it('reports what close() could not write as dropped, never silently', async () => {
    const drops: DropEvent[] = [];
    const { storage, clock } = harness(path, {
      retry: { jitter: 'none' },
      onDrop: (event) => drops.push(event),
    });
    await storage.initialize();
    lockDatabase();
    await storage.saveMetrics(samples(5));
    const closing = storage.close().catch((e: unknown) => e);
    await clock.advance(10_000);
    const error = await closing;
    expect(error).toMatchObject({ code: 'UNFLUSHED' });
    expect((error as Error).message).toContain('5 accepted samples');
    expect(drops).toEqual([expect.objectContaining({ dropped: 5, reason: 'closed' })]);
    expect(storage.stats().dropped).toBe(5);
  });
});
