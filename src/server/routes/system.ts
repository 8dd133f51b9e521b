/** /api/health and /api/session. */
import Type from 'typebox';
import type { StorageHealth, StorageStats } from '../../storage/Storage.js';
import { isLocalRequest } from '../auth.js';
import type { App, RouteContext } from '../context.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../schemas/common.js';
import { HealthResponse } from '../schemas/fleet.js';

const UNKNOWN_STATS: StorageStats = Object.freeze({
  queued: 0,
  maxQueued: 0,
  accepted: 0,
  written: 0,
  dropped: 0,
  flushes: 0,
  flushFailures: 0,
  lastFlushAt: null,
  lastError: null,
  available: false,
});

/** The breaker the storage layer's writes go through (the `retryDatabaseOperation` preset). */
const DATABASE_BREAKER = 'database';

export function systemRoutes(app: App, ctx: RouteContext): void {
  app.get('/api/health', { schema: { response: { 200: HealthResponse, ...errorResponses } } }, async () => {
    // A health check that fails must still answer: that is when it matters most.
    const health = await ctx.monitor.health().catch(
      (error: unknown): StorageHealth => ({
        ok: false,
        detail: `health check failed: ${error instanceof Error ? error.message : String(error)}`,
        stats: UNKNOWN_STATS,
      }),
    );
    const breaker = ctx.breakers.getStats()[DATABASE_BREAKER]?.state ?? null;
    const healthy = health.ok && health.stats.available && breaker !== 'open';
    const mqtt = ctx.mqtt();
    return {
      // Always 200: the process answers, and `status` says whether the database keeps up.
      status: healthy ? ('ok' as const) : ('degraded' as const),
      database: {
        ok: health.ok,
        detail: health.detail,
        queued: health.stats.queued,
        dropped: health.stats.dropped,
        available: health.stats.available,
        breaker,
      },
      // Shown, not judged: a broker away does not make solowatch unhealthy.
      mqtt:
        mqtt === null
          ? null
          : {
              connected: mqtt.connected,
              broker: mqtt.broker,
              connectedAt: mqtt.connectedAt,
              lastError: mqtt.lastError,
              lastErrorAt: mqtt.lastErrorAt,
            },
      version: ctx.version,
      uptimeS: Math.max(0, Math.round((ctx.clock.now() - ctx.startedAt) / 1000)),
    };
  });

  // The dashboard is served from this origin and needs the token for its mutations. Only a
  // browser on this machine gets it; anyone else must be given the token by the operator.
  app.get(
    '/api/session',
    {
      schema: {
        response: {
          200: Type.Object({
            token: Type.String(),
            tokenRequiredFor: Type.Enum(['mutations', 'everything']),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      if (!isLocalRequest(request)) {
        throw new ApiError(
          'FORBIDDEN',
          'the token is handed out only to browsers on the machine solowatch runs on; ask its operator for it',
        );
      }
      return {
        token: ctx.token,
        tokenRequiredFor: ctx.exposed ? ('everything' as const) : ('mutations' as const),
      };
    },
  );
}
