/**
 * The HTTP app, built apart from `listen` so tests drive it with `inject()` and `main.ts` alone
 * decides where it listens.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import { type AuthPolicy, checkToken, isLoopbackHost, needsToken } from './auth.js';
import type { RouteContext } from './context.js';
import type { AppDeps } from './deps.js';
import { ApiError, errorBody, toApiError } from './errors.js';
import { createMetrics } from './metrics.js';
import { actionRoutes } from './routes/actions.js';
import { controlRoutes } from './routes/control.js';
import { discoverRoutes } from './routes/discover.js';
import { eventRoutes } from './routes/events.js';
import { fleetRoutes } from './routes/fleet.js';
import { minerRoutes } from './routes/miners.js';
import { profileRoutes } from './routes/profiles.js';
import { resilienceRoutes } from './routes/resilience.js';
import { scheduleRoutes } from './routes/schedules.js';
import { settingsRoutes } from './routes/settings.js';
import { systemRoutes } from './routes/system.js';
import { EventStreams } from './sse.js';
import { staticRoutes } from './static.js';
import { ajvOptions, formatSchemaErrors } from './validation.js';

const systemClock = { now: () => Date.now() };

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  if (deps.token.length < 16) throw new RangeError('Expected `token` to be at least 16 characters.');
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    // The service's logger, without a line per request: only failures are worth one.
    ...(deps.logger === undefined
      ? { logger: false }
      : {
          loggerInstance: deps.logger,
          logController: new LogController({ disableRequestLogging: true }),
        }),
    bodyLimit: deps.bodyLimitBytes ?? 65_536,
    requestTimeout: deps.requestTimeoutMs ?? 30_000,
    return503OnClosing: true,
    ajv: ajvOptions,
    schemaErrorFormatter: formatSchemaErrors,
    // The router answers a malformed URL (`%zz`) or an over-long parameter before any hook or
    // error handler runs, in fastify's own shape; route those through the registry too.
    frameworkErrors: (error, _request, reply) => {
      (reply as FastifyReply).code(400).send(errorBody('INVALID_INPUT', error.message));
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Only JSON bodies: a text/plain POST is 415, not a string that fails a schema later.
  app.removeContentTypeParser(['text/plain']);

  const policy: AuthPolicy = { token: deps.token, exposed: !isLoopbackHost(deps.listenHost) };
  const ctx: RouteContext = {
    monitor: deps.monitor,
    breakers: deps.breakers,
    clock,
    version: deps.version,
    token: deps.token,
    exposed: policy.exposed,
    startedAt: clock.now(),
    operationTimeoutMs: deps.operationTimeoutMs ?? 30_000,
    discoverTimeoutMs: deps.discoverTimeoutMs ?? 300_000,
    energy: deps.energy ?? null,
    mqtt: deps.mqtt ?? (() => null),
    control: deps.control ?? null,
  };

  // Decided on the matched route pattern, so an oddly encoded path cannot dodge the check.
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    const path = route !== undefined && route !== '/*' ? route : (request.url.split('?')[0] ?? '/');
    if (needsToken(policy, request, path)) checkToken(policy, request, path);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });

  app.setErrorHandler(async (error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.statusCode >= 500) request.log.error({ err: error }, apiError.message);
    if (apiError.retryAfterMs !== undefined) {
      reply.header('retry-after', String(Math.max(1, Math.ceil(apiError.retryAfterMs / 1000))));
    }
    if (apiError.code === 'UNAUTHORIZED') reply.header('www-authenticate', 'Bearer realm="solowatch"');
    return reply
      .code(apiError.statusCode)
      .send(errorBody(apiError.code, apiError.message, apiError.retryAfterMs));
  });

  app.setNotFoundHandler(async (request) => {
    throw new ApiError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
  });

  const streams = new EventStreams(deps.monitor, {
    heartbeatMs: deps.heartbeatMs ?? 15_000,
    maxStreams: deps.maxStreams ?? 100,
    flushMs: deps.liveFlushMs ?? 1000,
    now: () => clock.now(),
    ...(deps.actions === undefined ? {} : { actions: deps.actions }),
  });
  const ownMetrics =
    deps.metricsRegistry === undefined
      ? createMetrics({ monitor: deps.monitor, breakers: deps.breakers })
      : null;
  const registry = deps.metricsRegistry ?? ownMetrics!.registry;

  app.addHook('preClose', async () => streams.closeAll());
  app.addHook('onClose', async () => ownMetrics?.close());

  systemRoutes(app, ctx);
  minerRoutes(app, ctx);
  controlRoutes(app, ctx);
  fleetRoutes(app, ctx);
  resilienceRoutes(app, ctx);
  discoverRoutes(app, ctx);
  settingsRoutes(app, deps.watchdog ?? null);
  eventRoutes(app, streams);
  if (deps.actions !== undefined) actionRoutes(app, deps.actions);
  if (deps.profiles !== undefined) profileRoutes(app, deps.profiles);
  if (deps.schedules !== undefined) scheduleRoutes(app, deps.schedules);
  app.get('/metrics', async (_request, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
  staticRoutes(app, deps.webRoot);

  await app.ready();
  return app;
}
