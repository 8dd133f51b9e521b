/**
 * The watchdog's rule, pure: given a miner's new state, restart it, leave it, or give up. It heals
 * a miner that is not hashing (proof of work), stalled (its own hashrate stayed low) or too hot, at
 * most `maxRestartsPerHour` times with `cooldownMs` between restarts, and never in a loop: at the
 * cap it gives up once, with an alert, until the miner has been healthy again.
 */
import type { Effect, MinerState, StateEvent } from './MinerState.js';
import { withinHour } from './restartRule.js';
import type { WatchdogSettings } from './settings.js';

export interface WatchdogDecision {
  readonly gaveUp: boolean;
  readonly effect: Effect | null;
  readonly event: StateEvent | null;
}

/** Why the watchdog would restart a miner in this state, or null when it would not. */
export function healingReason(state: MinerState): string | null {
  if (state.notHashing) return 'not hashing';
  if (state.overheating) return 'past its temperature limit';
  if (state.hashrateLow) return 'stalled (hashrate low)';
  return null;
}

export function decideWatchdog(state: MinerState, now: number, settings: WatchdogSettings): WatchdogDecision {
  const why = healingReason(state);
  // A paused miner is idle on purpose: the watchdog never restarts it, whatever it looks like.
  const busy = state.command !== null || state.restartWatch !== null || state.paused !== null;
  if (!settings.enabled || why === null) return { gaveUp: false, effect: null, event: null };
  if (state.watchdogGaveUp || busy) return { gaveUp: state.watchdogGaveUp, effect: null, event: null };
  const recent = withinHour(state.restartsAt, now);
  if (recent.length >= settings.maxRestartsPerHour) {
    return {
      gaveUp: true,
      effect: null,
      event: {
        type: 'watchdog_gave_up',
        severity: 'critical',
        message: `Watchdog gave up: still ${why} after ${recent.length} restarts within the hour; it needs a person`,
        data: { reason: why, restarts: recent.length },
      },
    };
  }
  const last = recent.at(-1);
  if (last !== undefined && now - last < settings.cooldownMs)
    return { gaveUp: false, effect: null, event: null };
  return { gaveUp: false, effect: { kind: 'restart', by: 'watchdog', why }, event: null };
}
