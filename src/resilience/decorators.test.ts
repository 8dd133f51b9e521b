import { describe, expect, it, vi } from 'vitest';
import {
  retryDatabaseOperation,
  retryHttpRequest,
  retryMinerOperation,
  retryWithBackoff,
} from './decorators.js';
import { CircuitOpenError, MinerConnectionError, ValidationError } from './errors.js';
import { RetryManager } from './RetryManager.js';
import { FakeClock } from './testing.js';

const clock = new FakeClock(0);
const manager = new RetryManager({ clock });
const fast = { baseDelayMs: 10, jitter: 'none' as const };

class MinerClient {
  calls: string[] = [];
  failuresLeft = 0;

  @retryWithBackoff({ ...fast, maxAttempts: 3 }, { clock, manager, circuitBreakerName: 'decorated' })
  async fetchStatus(id: string): Promise<string> {
    this.calls.push(id);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new MinerConnectionError('down');
    }
    return `status of ${id}`;
  }

  @retryWithBackoff({ ...fast, maxAttempts: 3 }, { clock, manager })
  readSync(value: number): number {
    this.calls.push(`sync ${value}`);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new MinerConnectionError('down');
    }
    return value * 2;
  }

  @retryWithBackoff({ ...fast, maxAttempts: 3 }, { clock, manager })
  readPromise(value: number): Promise<number> {
    this.calls.push(`promise ${value}`);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      return Promise.reject(new MinerConnectionError('down'));
    }
    return Promise.resolve(value + 1);
  }

  @retryMinerOperation({ clock, manager, key: (id) => String(id), ...fast, failureThreshold: 2 })
  async poll(id: string): Promise<string> {
    this.calls.push(`poll ${id}`);
    if (id.startsWith('dead')) throw new MinerConnectionError(`${id} down`);
    return id;
  }
}

describe('retryWithBackoff as a method decorator', () => {
  it('an async method stays async, keeps `this` and arguments, and is retried', async () => {
    const client = new MinerClient();
    client.failuresLeft = 2;
    const result = client.fetchStatus('a');
    expect(result).toBeInstanceOf(Promise);
    await clock.runAll();
    await expect(result).resolves.toBe('status of a');
    expect(client.calls).toEqual(['a', 'a', 'a']);
    expect(manager.getStats().decorated).toMatchObject({ calls: 3, failures: 2, successes: 1 });
  });

  it('an async method rejects with the last error once attempts run out', async () => {
    const client = new MinerClient();
    client.failuresLeft = 10;
    const result = client.fetchStatus('b').catch((e: unknown) => e);
    await clock.runAll();
    expect(await result).toBeInstanceOf(MinerConnectionError);
    expect(client.calls).toHaveLength(3);
  });

  it('a sync method stays sync: returns a value, not a promise', () => {
    const client = new MinerClient();
    client.failuresLeft = 1;
    const before = clock.now();
    expect(client.readSync(21)).toBe(42);
    expect(client.calls).toEqual(['sync 21', 'sync 21']);
    // The sync path waits with the clock's sleepSync.
    expect(clock.now() - before).toBe(10);
  });

  it('a sync method throws synchronously once attempts run out', () => {
    const client = new MinerClient();
    client.failuresLeft = 5;
    expect(() => client.readSync(1)).toThrow(MinerConnectionError);
    expect(client.calls).toHaveLength(3);
  });

  it('a non-async method that returns a promise switches to the async path', async () => {
    const client = new MinerClient();
    client.failuresLeft = 2;
    const result = client.readPromise(1);
    expect(result).toBeInstanceOf(Promise);
    await clock.runAll();
    await expect(result).resolves.toBe(2);
    expect(client.calls).toEqual(['promise 1', 'promise 1', 'promise 1']);
  });

  it('a key function gives each target its own breaker, so one dead miner never blocks another', async () => {
    const client = new MinerClient();
    for (let i = 0; i < 2; i += 1) {
      const dead = client.poll('dead-1').catch((e: unknown) => e);
      await clock.runAll();
      await dead;
    }
    expect(manager.getStats()['miner_operations:dead-1']?.state).toBe('open');
    await expect(client.poll('dead-1')).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(client.poll('alive-2')).resolves.toBe('alive-2');
    expect(manager.getStats()['miner_operations:alive-2']?.state).toBe('closed');
    expect(manager.has('miner_operations')).toBe(false);
  });
});

describe('retryWithBackoff on a plain function', () => {
  it('wraps an async function', async () => {
    let n = 0;
    const wrapped = retryWithBackoff(fast, { clock })(async (x: number) => {
      n += 1;
      if (n < 2) throw new MinerConnectionError('down');
      return x * 10;
    });
    const result = wrapped(4);
    await clock.runAll();
    await expect(result).resolves.toBe(40);
  });

  it('wraps a sync function and stays sync', () => {
    const fn = vi.fn((a: string, b: string) => a + b);
    const wrapped = retryWithBackoff()(fn);
    expect(wrapped('x', 'y')).toBe('xy');
    expect(fn).toHaveBeenCalledWith('x', 'y');
  });

  it('throws non-retryable errors at once', () => {
    const fn = vi.fn(() => {
      throw new ValidationError('bad');
    });
    expect(() => retryWithBackoff({}, { clock })(fn)()).toThrow(ValidationError);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('validates the config when the wrapper is made', () => {
    expect(() => retryWithBackoff({ maxAttempts: -1 })).toThrow(/maxAttempts/);
    expect(() => retryWithBackoff({}, { key: () => 'k' })).toThrow(/circuitBreakerName/);
  });

  it('refuses to decorate something other than a method', () => {
    const wrapper = retryWithBackoff();
    const context = { kind: 'field', name: 'x' } as unknown as ClassMethodDecoratorContext;
    expect(() => (wrapper as (fn: unknown, context: unknown) => unknown)(() => 1, context)).toThrow(
      /methods/,
    );
  });
});

describe('presets', () => {
  async function configOf(makePreset: typeof retryDatabaseOperation, name: string) {
    const local = new RetryManager({ clock });
    const delays: number[] = [];
    const wrapped = makePreset({
      manager: local,
      clock,
      jitter: 'none',
      onRetry: (e) => delays.push(e.delayMs),
    })(async () => {
      throw new MinerConnectionError('down');
    });
    const running = wrapped().catch(() => undefined);
    await clock.runAll();
    await running;
    return { delays, stats: local.getStats()[name] };
  }

  it('retryDatabaseOperation: breaker `database`, 3 attempts, 500 ms base', async () => {
    const { delays, stats } = await configOf(retryDatabaseOperation, 'database');
    expect(delays).toEqual([500, 1000]);
    expect(stats).toMatchObject({ calls: 3 });
  });

  it('retryHttpRequest: breaker `http_requests`, 3 attempts, 1 s base', async () => {
    const { delays, stats } = await configOf(retryHttpRequest, 'http_requests');
    expect(delays).toEqual([1000, 2000]);
    expect(stats).toMatchObject({ calls: 3 });
  });

  it('retryMinerOperation: breaker `miner_operations`, 3 attempts, 2 s base', async () => {
    const { delays, stats } = await configOf(retryMinerOperation, 'miner_operations');
    expect(delays).toEqual([2000, 4000]);
    expect(stats).toMatchObject({ calls: 3 });
  });

  it('caps follow the presets (5 s for the database) and overrides win', async () => {
    const local = new RetryManager({ clock });
    const delays: number[] = [];
    const wrapped = retryDatabaseOperation({
      manager: local,
      clock,
      jitter: 'none',
      maxAttempts: 6,
      onRetry: (e) => delays.push(e.delayMs),
    })(async () => {
      throw new MinerConnectionError('down');
    });
    const running = wrapped().catch(() => undefined);
    await clock.runAll();
    await running;
    expect(delays).toEqual([500, 1000, 2000, 4000, 5000]);
  });
});

describe('decorators with breakers on the sync path', () => {
  it('a sync method goes through its breaker with executeSync, per key', () => {
    const local = new RetryManager({ clock });
    class Db {
      @retryDatabaseOperation({
        manager: local,
        clock,
        jitter: 'none',
        failureThreshold: 2,
        key: (table) => String(table),
      })
      write(table: string): string {
        if (table === 'locked') throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        return `wrote ${table}`;
      }
    }
    const db = new Db();
    expect(db.write('samples')).toBe('wrote samples');
    expect(() => db.write('locked')).toThrow(CircuitOpenError);
    expect(local.getStats()['database:locked']).toMatchObject({ state: 'open', calls: 2, refusals: 1 });
    expect(local.getStats()['database:samples']).toMatchObject({ state: 'closed', calls: 1 });
  });

  it('a non-async method returning a promise is tracked by its breaker when it settles', async () => {
    const local = new RetryManager({ clock });
    const wrapped = retryWithBackoff(
      { maxAttempts: 1, failureThreshold: 1 },
      { manager: local, clock, circuitBreakerName: 'p' },
    )(() => Promise.reject(new MinerConnectionError('down')));
    await expect(wrapped()).rejects.toBeInstanceOf(MinerConnectionError);
    expect(local.getStats().p?.state).toBe('open');
  });

  it('an aborted signal in the options stops calls before they start', async () => {
    const reason = new Error('closed');
    const fn = vi.fn(async () => 1);
    const wrapped = retryWithBackoff({}, { signal: AbortSignal.abort(reason) })(fn);
    await expect(wrapped()).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('retryWithBackoff: one name, one breaker', () => {
  it('a wrapper without a key keeps its breaker, and the registry gives that same instance', async () => {
    const own = new RetryManager({ clock, maxIdleMs: 1000 });
    let fail = false;
    const wrapped = retryWithBackoff(
      { maxAttempts: 1 },
      { clock, manager: own, circuitBreakerName: 'held' },
    )(async () => {
      if (fail) throw new MinerConnectionError('down');
      return 1;
    });
    await wrapped();
    const breaker = own.getCircuitBreaker('held');
    await clock.advance(1000);
    expect(own.evictIdle()).toEqual(['held']);
    fail = true;
    await wrapped().catch(() => undefined);
    expect(own.getCircuitBreaker('held')).toBe(breaker);
    expect(own.getStats().held?.failureCount).toBe(1);
  });

  it('a wrapped async function never throws synchronously', () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    const wrapped = retryWithBackoff({}, { signal: controller.signal })(async () => 1);
    const result = wrapped();
    expect(result).toBeInstanceOf(Promise);
    return expect(result).rejects.toThrow('stopped');
  });
});
