/** Changing and removing monitored miners: the commands that touch only the monitor's own state. */
import type { MinerRecord } from '../storage/Storage.js';
import { transportBreakerName } from './gateBreaker.js';
import { breakerName, effectiveInterval } from './MinerEntry.js';
import type { MinerManager } from './MinerManager.js';
import type { MinerView, UpdateMinerInput } from './types.js';
import { checkUpdateInput } from './validateInput.js';

export async function updateMiner(
  manager: MinerManager,
  id: string,
  patch: UpdateMinerInput,
): Promise<MinerView> {
  const entry = manager.requireEntry(id);
  const checked = checkUpdateInput(patch);
  const record: MinerRecord = {
    ...entry.record,
    ...(checked.name === undefined ? {} : { name: checked.name }),
    ...(checked.intervalMs === undefined ? {} : { intervalMs: checked.intervalMs }),
    ...(checked.enabled === undefined ? {} : { enabled: checked.enabled }),
    updatedAt: manager.timers.now(),
  };
  await manager.storage.saveMinerConfig(record);
  const wasEnabled = entry.record.enabled;
  entry.record = record;
  const interval = effectiveInterval(record, manager.defaultIntervalMs);
  if (record.enabled && !wasEnabled) manager.scheduler.add(id, interval);
  else if (!record.enabled && wasEnabled) manager.scheduler.remove(id);
  else if (record.enabled) manager.scheduler.setInterval(id, interval);
  manager.hub.emit({ type: 'miner', action: 'updated', minerId: id });
  return manager.view(entry);
}

export async function removeMiner(
  manager: MinerManager,
  id: string,
  options: { dropHistory?: boolean } = {},
): Promise<boolean> {
  const entry = manager.entries.get(id);
  if (entry === undefined) return false;
  manager.scheduler.remove(id);
  manager.entries.delete(id);
  manager.unindex(entry.record);
  manager.alerts.clearMiner(id, manager.timers.now());
  manager.retryManager.delete(breakerName(id));
  // The address's transport breaker goes too: addresses are unique per miner, and an open one
  // left behind would refuse the same device if it were added again.
  const transport = transportBreakerName(entry.record.kind, entry.record.host, entry.record.port);
  if (transport !== null) manager.retryManager.delete(transport);
  await manager.storage.deleteMiner(
    id,
    options.dropHistory === undefined ? {} : { dropHistory: options.dropHistory },
  );
  manager.recordEvent(
    null,
    'miner_removed',
    'info',
    `Removed miner ${entry.record.name} (${entry.record.host}:${entry.record.port})`,
    { minerId: id },
  );
  manager.hub.emit({ type: 'miner', action: 'removed', minerId: id });
  return true;
}
