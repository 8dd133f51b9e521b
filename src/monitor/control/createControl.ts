/** Builds the app's MinerControl from a running monitor: its miners, breakers, events and restart. */

import { type Clock, systemClock } from '../../resilience/index.js';
import type { MinerManager } from '../MinerManager.js';
import { ControlService, type ControlSettings } from './ControlService.js';

export function createControl(
  monitor: MinerManager,
  options: {
    readonly clock?: Clock;
    readonly settings?: Partial<ControlSettings>;
    /** Where restarts go: with several instances, to the one polling the miner. @default the monitor's */
    readonly restart?: (id: string, actor: string) => Promise<{ readonly detail: string }>;
  } = {},
): ControlService {
  return new ControlService({
    target: (id) => monitor.controlTarget(id),
    breakerOf: (id) => monitor.minerBreaker(id),
    report: (minerId, outcome) => monitor.reportControl(minerId, outcome),
    restart: options.restart ?? ((id, actor) => monitor.restartMiner(id, actor)),
    pollSoon: (id) => monitor.pollNow(id),
    clock: options.clock ?? systemClock,
    ...(options.settings === undefined ? {} : { settings: options.settings }),
  });
}
