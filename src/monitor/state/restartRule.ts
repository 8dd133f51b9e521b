/** Did the restart we sent happen? Pure: the watch, what this input saw, and the time. */
import type { MinerSample } from '../../miners/MinerSample.js';
import type { RestartWatch } from './MinerState.js';

export type RestartVerdict = 'confirmed' | 'unconfirmed' | 'pending';

export function judgeRestart(
  watch: RestartWatch,
  sample: MinerSample | null,
  rebootSeen: boolean,
  now: number,
): RestartVerdict {
  if (sample !== null && sample.uptimeS !== null) {
    if (rebootSeen) return 'confirmed';
    if (watch.uptimeBeforeS !== null && sample.uptimeS < watch.uptimeBeforeS) return 'confirmed';
    // Without an earlier uptime, an uptime shorter than the time since we asked proves a boot.
    const sinceRequestS = (now - watch.requestedAt) / 1000;
    if (watch.uptimeBeforeS === null && sample.uptimeS <= sinceRequestS + 5) return 'confirmed';
  }
  return now >= watch.deadline ? 'unconfirmed' : 'pending';
}

/** Restarts sent within the hour before `now`, oldest first. */
export function withinHour(times: readonly number[], now: number): readonly number[] {
  const from = now - 3_600_000;
  return times[0] === undefined || times[0] > from ? times : times.filter((at) => at > from);
}
