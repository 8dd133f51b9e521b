/**
 * Symbol-keyed methods that let `retry` drive a breaker call by call without `execute`'s own
 * promise: one promise per attempt instead of two on the hot path. Not exported from the
 * package; the public way is `execute`.
 */

/** `breaker[admitCall]()`: admits a call or throws CircuitOpenError; returns a ticket. */
export const admitCall: unique symbol = Symbol('solowatch.resilience.admitCall');

/** `breaker[settleCall](ticket, failed, error)`: records how an admitted call ended. */
export const settleCall: unique symbol = Symbol('solowatch.resilience.settleCall');
