import { afterEach, describe, expect, it, vi } from 'vitest';
import { FLAKY_DOWN_MS, FLAKY_FIRST_DOWN_MS, FLAKY_UP_MS, flakyCycle } from '../../src/cli/commands/demo.js';
import type { FaultPlan, Fleet, SimulatedDevice } from '../../src/simulator/index.js';

afterEach(() => {
  vi.useRealTimers();
});

function fakeFleet(): { fleet: Fleet; plans: (FaultPlan | null)[] } {
  const plans: (FaultPlan | null)[] = [];
  const device = { setFaults: (plan: FaultPlan | null) => plans.push(plan) } as unknown as SimulatedDevice;
  const fleet = { devices: [device, device], close: async () => {} } as unknown as Fleet;
  return { fleet, plans };
}

describe('the demo flaky miner', () => {
  it('goes offline soon, comes back long enough for its breaker to recover, and repeats', () => {
    vi.useFakeTimers();
    const { fleet, plans } = fakeFleet();
    const stop = flakyCycle(fleet, 1);
    vi.advanceTimersByTime(FLAKY_FIRST_DOWN_MS - 1);
    expect(plans).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(plans.at(-1)).toEqual({ offline: true });
    vi.advanceTimersByTime(FLAKY_DOWN_MS);
    expect(plans.at(-1)?.offline).toBeUndefined();
    expect(plans.at(-1)?.rates).toBeDefined();
    vi.advanceTimersByTime(FLAKY_UP_MS);
    expect(plans.at(-1)).toEqual({ offline: true });
    stop();
    // Stopping leaves the device healthy and schedules nothing more.
    expect(plans.at(-1)?.offline).toBeUndefined();
    const count = plans.length;
    vi.advanceTimersByTime(10 * FLAKY_UP_MS);
    expect(plans.length).toBe(count);
  });

  it('stays down long enough to open a breaker of 5 failures at 5 s polls', () => {
    expect(FLAKY_DOWN_MS).toBeGreaterThan(5 * 5_000 + 10_000);
  });
});
