import type { MinerModel } from './model.js';
import type { DeviceRuntime } from './runtime.js';

/**
 * What a restart command sets going once its answer is out: the reboot lands `delayMs` later on
 * the device's clock (read lazily) and, in real time, a timer drops every open connection.
 */
export function scheduleReboot(model: MinerModel, runtime: DeviceRuntime, delayMs: number): void {
  model.scheduleReboot(delayMs);
  runtime.setTimer(() => {
    model.completePendingReboot();
    runtime.dropAll();
  }, delayMs);
}

/** A reboot right now (a power cycle, or the `restart` fault): connections drop at once. */
export function rebootNow(model: MinerModel, runtime: DeviceRuntime): void {
  model.rebootNow();
  runtime.dropAll();
}
