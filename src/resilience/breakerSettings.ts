/**
 * Per-breaker plumbing kept out of CircuitBreaker.ts so the state machine reads on its own:
 * admission tickets (plain numbers, so admitting a call allocates nothing) and the settings that
 * breakers built alike share (so 10,000 keyed breakers hold one pointer each, not a copy).
 */

import type { StateChangeEvent } from './breakerTypes.js';
import type { CircuitBreaker } from './CircuitBreaker.js';
import { isRetryable } from './classify.js';
import type { Clock } from './clock.js';
import type { CircuitBreakerConfig } from './config.js';

/** Ticket for one admitted call; a stale generation means the breaker moved on meanwhile. */
export type Admission = number;

/** A ticket is `generation * 2 + (trial ? 1 : 0)`: a number, so admitting allocates nothing. */
export function ticket(generation: number, trial: boolean): Admission {
  return generation * 2 + (trial ? 1 : 0);
}
export function ticketGeneration(admission: Admission): number {
  return Math.floor(admission / 2);
}
export function ticketTrial(admission: Admission): boolean {
  return admission % 2 === 1;
}

export type Observer = (event: StateChangeEvent, breaker: CircuitBreaker) => void;

/** What breakers built alike have in common; shared so that each breaker holds one pointer. */
export interface Settings {
  readonly config: CircuitBreakerConfig;
  readonly halfOpenMaxCalls: number;
  readonly clock: Clock;
  readonly isFailure: (error: unknown) => boolean;
  readonly observer: Observer | undefined;
}

interface SettingsByObserver {
  none?: Settings;
  readonly byObserver: WeakMap<Observer, Settings>;
}

/** config -> clock -> observer -> settings; weak throughout so nothing here keeps a registry alive. */
const sharedSettings = new WeakMap<CircuitBreakerConfig, WeakMap<Clock, SettingsByObserver>>();

export function settingsFor(
  config: CircuitBreakerConfig,
  clock: Clock,
  isFailure: (error: unknown) => boolean,
  halfOpenMaxCalls: number,
  observer: Observer | undefined,
): Settings {
  const make = (): Settings => Object.freeze({ config, halfOpenMaxCalls, clock, isFailure, observer });
  if (isFailure !== isRetryable || halfOpenMaxCalls !== 1) return make();
  let byClock = sharedSettings.get(config);
  if (byClock === undefined) {
    byClock = new WeakMap();
    sharedSettings.set(config, byClock);
  }
  let slot = byClock.get(clock);
  if (slot === undefined) {
    slot = { byObserver: new WeakMap() };
    byClock.set(clock, slot);
  }
  if (observer === undefined) {
    slot.none ??= make();
    return slot.none;
  }
  let settings = slot.byObserver.get(observer);
  if (settings === undefined) {
    settings = make();
    slot.byObserver.set(observer, settings);
  }
  return settings;
}
