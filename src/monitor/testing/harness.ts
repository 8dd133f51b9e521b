/** Builds a MinerManager on fakes (driver, storage, clock) for unit tests. */
import { RetryManager } from '../../resilience/index.js';
import { FakeClock } from '../../resilience/testing.js';
import { createMonitor } from '../createMonitor.js';
import type { MinerManager } from '../MinerManager.js';
import type { MinerManagerOptions } from '../options.js';
import type { MonitorEvent } from '../types.js';
import { FakeDriver, FakeRegistry, makeSample } from './FakeDriver.js';
import { MemoryStorage } from './MemoryStorage.js';

export interface Harness {
  readonly clock: FakeClock;
  readonly storage: MemoryStorage;
  readonly driver: FakeDriver;
  readonly registry: FakeRegistry;
  readonly retryManager: RetryManager;
  readonly manager: MinerManager;
  readonly events: MonitorEvent[];
}

export function createHarness(
  options: Partial<MinerManagerOptions> = {},
  shared: { storage?: MemoryStorage; clock?: FakeClock } = {},
): Harness {
  const clock = shared.clock ?? new FakeClock(1_700_000_000_000);
  const storage = shared.storage ?? new MemoryStorage();
  const driver = new FakeDriver('axeos', 80);
  driver.now = () => clock.now();
  const registry = new FakeRegistry(driver);
  const retryManager = new RetryManager({ clock });
  let n = 0;
  const manager = createMonitor({
    storage,
    drivers: registry,
    retryManager,
    clock,
    random: () => 0.5,
    jitterRatio: 0,
    idGenerator: () => {
      n += 1;
      return `m${n}`;
    },
    ...options,
  });
  const events: MonitorEvent[] = [];
  manager.subscribe((event) => events.push(event));
  return { clock, storage, driver, registry, retryManager, manager, events };
}

/** A device whose uptime follows the clock from a boot time the test can move. */
export function liveDevice(clock: FakeClock, mac: string, extra: Parameters<typeof makeSample>[0] = {}) {
  const device = {
    bootAt: clock.now() - 3_600_000,
    overrides: { ...extra } as Parameters<typeof makeSample>[0],
    reboot(): void {
      device.bootAt = clock.now();
    },
    behaviour: () =>
      makeSample({ mac, uptimeS: Math.floor((clock.now() - device.bootAt) / 1000), ...device.overrides }),
  };
  return device;
}
