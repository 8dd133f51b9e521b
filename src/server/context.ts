/** The resolved dependencies every route module receives, and helpers they share. */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { EnergyPrice } from '../config/schema/energy.js';
import type { MinerControl } from '../monitor/control/MinerControl.js';
import type { MinerView, Monitor } from '../monitor/types.js';
import type { SeriesQuery } from '../storage/Storage.js';
import type { BreakerRegistry, MqttHealth, ServerClock } from './deps.js';
import { ApiError } from './errors.js';
import { DAY_MS, DEFAULT_POINTS, type SeriesQuerystring } from './schemas/common.js';

/** The app as routes see it: TypeBox schemas type the request and the reply. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface RouteContext {
  readonly monitor: Monitor;
  readonly breakers: BreakerRegistry;
  readonly clock: ServerClock;
  readonly version: string;
  readonly token: string;
  readonly exposed: boolean;
  readonly startedAt: number;
  readonly operationTimeoutMs: number;
  readonly discoverTimeoutMs: number;
  readonly energy: EnergyPrice | null;
  readonly mqtt: () => MqttHealth | null;
  /** Per-miner control (settings, pause, identify); null when the server was built without it. */
  readonly control: MinerControl | null;
}

export function requireMiner(monitor: Monitor, id: string): MinerView {
  const miner = monitor.getMiner(id);
  if (miner === null) throw new ApiError('MINER_NOT_FOUND', `no miner with id '${id}'`);
  return miner;
}

/** Fills in the defaults (the last 24 h, 300 points) and checks that the range is not empty. */
export function resolveRange(query: SeriesQuerystring, now: number): SeriesQuery {
  const to = query.to ?? now;
  const from = query.from ?? to - DAY_MS;
  if (from >= to) {
    throw new ApiError('INVALID_INPUT', `querystring.from (${from}) must be before querystring.to (${to})`);
  }
  return { from, to, points: query.points ?? DEFAULT_POINTS };
}

/**
 * Runs a slow operation with a signal that aborts when the client goes away or the time limit
 * passes; a time-out becomes a TIMEOUT error instead of a hung request.
 */
export async function withDeadline<T>(
  reply: FastifyReply,
  timeoutMs: number,
  what: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const gone = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) gone.abort(new Error('client closed the connection'));
  };
  reply.raw.once('close', onClose);
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    return await run(AbortSignal.any([deadline, gone.signal]));
  } catch (error) {
    if (deadline.aborted) {
      throw new ApiError('TIMEOUT', `${what} did not finish within ${Math.round(timeoutMs / 1000)} s`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    reply.raw.off('close', onClose);
  }
}
