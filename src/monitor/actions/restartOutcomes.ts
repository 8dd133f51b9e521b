/** A restart's end, read from the monitor's `restart` events (confirmed by the uptime resetting). */
import type { Monitor } from '../types.js';
import type { RestartOutcomes } from './controlSteps.js';

export function monitorRestartOutcomes(monitor: Pick<Monitor, 'subscribe'>): RestartOutcomes {
  return {
    outcome(minerId: string, signal: AbortSignal): Promise<string | null> {
      return new Promise((resolve, reject) => {
        const done = () => {
          unsubscribe();
          signal.removeEventListener('abort', onAbort);
        };
        const onAbort = () => {
          done();
          reject(signal.reason);
        };
        const unsubscribe = monitor.subscribe((event) => {
          if (event.type !== 'restart' || event.restart.minerId !== minerId) return;
          if (event.restart.state === 'restarting') return;
          done();
          resolve(event.restart.state === 'confirmed' ? null : event.restart.detail);
        });
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
