/**
 * Desired state (config `fleet`): every poll's pool, and every settings read once per-miner
 * control is wired, compared with it; drift becomes a `settings_drift` event and alert.
 */
import type { SolowatchConfig } from '../config/Config.js';
import type { LogFn } from '../log/logger.js';
import type { MinerControl } from '../monitor/control/MinerControl.js';
import { DesiredState } from '../monitor/desired/DesiredState.js';
import { driftEvent } from '../monitor/desired/driftEvent.js';
import { observeSettingsReads } from '../monitor/desired/observeSettingsReads.js';
import type { MinerManager } from '../monitor/MinerManager.js';
import { systemClock } from '../resilience/clock.js';
import type { Storage } from '../storage/Storage.js';

/** `control` as the rest of the app should use it (its reads observed), and how to stop watching. */
export function watchDesiredState(
  config: SolowatchConfig,
  monitor: MinerManager,
  storage: Storage,
  control: MinerControl,
  log: LogFn,
): { readonly control: MinerControl; close(): Promise<void> } {
  const desired = new DesiredState({
    rules: config.fleet,
    tagsOf: (id) => monitor.getMiner(id)?.tags ?? [],
    clock: systemClock,
    onDrift: (report) => {
      const label = monitor.getMiner(report.minerId)?.name ?? report.minerId;
      const event = driftEvent(report, label, Date.now());
      log(report.security ? 'warn' : 'info', event.message);
      storage
        .recordEvent(event)
        .catch((error: unknown) => log('warn', `could not record drift: ${(error as Error).message}`));
      monitor.alerts.observe(report.minerId, {}, [event], event.timestamp, label);
    },
    revert: (id, settings) => control.applySettings(id, settings, 'desired'),
    onRevertError: (id, error) =>
      log('warn', `could not write desired settings back to ${id}: ${(error as Error).message}`),
  });
  if (!desired.enabled) return { control, close: async () => {} };
  const stop = monitor.subscribe((event) => {
    if (event.type !== 'sample') return;
    const { poolUrl, poolUser } = event.sample;
    if (poolUrl !== null && poolUser !== null)
      desired.observe(event.minerId, { pools: [{ url: poolUrl, user: poolUser }] });
  });
  return { control: observeSettingsReads(control, desired), close: async () => stop() };
}
