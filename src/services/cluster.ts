/**
 * An instance's part in a fleet shared on one PostgreSQL database (src/monitor/cluster/): the
 * view of every instance's miners, the lease membership that decides who polls which miner, and
 * the live view shared with the others. Each is built here and started by main.ts.
 */
import type { LogFn } from '../log/logger.js';
import { ClusterMember } from '../monitor/cluster/ClusterMember.js';
import type { ResolvedClusterOptions } from '../monitor/cluster/ClusterOptions.js';
import { httpRestartForwarder } from '../monitor/cluster/forwardRestart.js';
import { LeaseTable } from '../monitor/cluster/LeaseTable.js';
import { LiveShare } from '../monitor/cluster/LiveShare.js';
import { LiveTable } from '../monitor/cluster/LiveTable.js';
import { SharedFleetView } from '../monitor/cluster/SharedFleetView.js';
import type { MinerManager } from '../monitor/MinerManager.js';
import { systemTimers } from '../monitor/timers.js';
import { translatePgError } from '../storage/postgres/attempt.js';
import type { PostgresStorage } from '../storage/postgres/PostgresStorage.js';

/** How long a restart sent on to the instance polling the miner may take to be accepted there. */
const FORWARD_TIMEOUT_MS = 15_000;

/** The API of every instance shows the whole fleet: the others' miners as their pollers wrote them. */
export function sharedFleetView(
  options: ResolvedClusterOptions,
  monitor: MinerManager,
  owns: (minerId: string) => boolean,
  token: string,
): SharedFleetView {
  return new SharedFleetView({
    monitor,
    instanceId: options.instanceId,
    owns,
    difficulty: () => monitor.difficulty.current(),
    now: () => Date.now(),
    forwardRestart: httpRestartForwarder({ token, timeoutMs: FORWARD_TIMEOUT_MS }),
  });
}

/** This instance's membership of the fleet shared on `storage`'s database (not started). */
export function joinCluster(
  options: ResolvedClusterOptions,
  storage: PostgresStorage,
  monitor: MinerManager,
  log: LogFn,
): ClusterMember {
  const timers = systemTimers;
  return new ClusterMember({
    table: new LeaseTable(storage.client),
    options,
    timers,
    syncMiners: async () => {
      const { added, removed, updated } = await monitor.reloadMiners();
      if (added + removed + updated > 0)
        log('info', `miners from other instances: ${added} added, ${removed} removed, ${updated} changed`);
    },
    handoverLeadMs: (id) => (monitor.getMiner(id)?.intervalMs ?? 0) / 2,
    nextPollAt: (id, notBefore) => {
      const due = monitor.scheduler.dueAt(id);
      const interval = monitor.getMiner(id)?.intervalMs;
      if (due === undefined || interval === undefined || due >= notBefore) return due ?? notBefore;
      return due + Math.ceil((notBefore - due) / interval) * interval;
    },
    onGained: (id, delayMs) => {
      log('debug', `lease of ${id} taken; first poll in ${delayMs} ms`);
      timers.setTimer(() => monitor.pollNow(id), delayMs);
    },
    onError: (error) =>
      log(
        'warn',
        `instance ${options.instanceId}: lease round failed, will retry: ${(translatePgError(error, storage.server) as Error).message}`,
      ),
  });
}

/** What this instance polls, written for the others' views, and theirs read into `view` (not started). */
export function shareLiveView(
  options: ResolvedClusterOptions,
  storage: PostgresStorage,
  monitor: MinerManager,
  owns: (minerId: string) => boolean,
  view: SharedFleetView,
  log: LogFn,
): LiveShare {
  return new LiveShare({
    table: new LiveTable(storage.client),
    instanceId: options.instanceId,
    monitor,
    owns,
    view,
    timers: systemTimers,
    liveMs: options.liveMs,
    onError: (error) =>
      log(
        'warn',
        `instance ${options.instanceId}: sharing the live view failed, will retry: ${(translatePgError(error, storage.server) as Error).message}`,
      ),
  });
}
