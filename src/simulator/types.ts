import type { FaultPlan } from './faults.js';
import type { MinerModel } from './model.js';

/** Where the simulator reads time: epoch milliseconds. Tests pass a fake one. */
export interface SimClock {
  now(): number;
}

/** The wall clock, for running by hand. */
export const systemClock: SimClock = { now: () => Date.now() };

/** The device kinds the simulator can play. */
export type DeviceKind = 'axeos' | 'nerdqaxe' | 'cgminer' | 'avalon' | 'whatsminer';

/** What every running simulated device offers its owner. */
export interface SimulatedDevice {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly host: string;
  readonly port: number;
  readonly mac: string;
  readonly hostname: string;
  /** The firmware it plays, e.g. `v2.12.0` (AxeOS), `v1.0.36` (NerdQAxe), `cgminer 4.11.1`. */
  readonly firmware: string;
  /** The state behind the answers: ground truth for tests (`lastSnapshot` is what was served). */
  readonly model: MinerModel;
  /** Requests (HTTP) or commands (TCP) received so far, the refused ones included. */
  readonly requestCount: number;
  setFaults(plan: FaultPlan | null): void;
  /** Reboot now, as a power cycle would: connections drop, uptime starts again. */
  restart(): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
