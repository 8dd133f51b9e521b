/** /api/miners: list, add, read, change, remove, restart, history. */
import Type from 'typebox';
import { type App, type RouteContext, requireMiner, resolveRange, withDeadline } from '../context.js';
import { ApiError } from '../errors.js';
import { listedMiner } from '../listedMiner.js';
import { errorResponses, List, ListLimit, MinerIdParams, SeriesQuery } from '../schemas/common.js';
import {
  AddMinerBody,
  EventRecord,
  MinerView,
  RestartStatus,
  Series,
  UpdateMinerBody,
} from '../schemas/miner.js';
import { actorOf } from './control.js';

export function minerRoutes(app: App, ctx: RouteContext): void {
  const { monitor } = ctx;

  app.get(
    '/api/miners',
    {
      schema: {
        response: {
          200: Type.Object({ miners: List(MinerView) }),
          ...errorResponses,
        },
      },
    },
    async () => ({ miners: monitor.listMiners().map(listedMiner) }),
  );

  app.post(
    '/api/miners',
    { schema: { body: AddMinerBody, response: { 201: MinerView, ...errorResponses } } },
    async (request, reply) => {
      const miner = await withDeadline(reply, ctx.operationTimeoutMs, 'adding the miner', (signal) =>
        monitor.addMiner(request.body, { signal }),
      );
      return reply
        .code(201)
        .header('location', `/api/miners/${encodeURIComponent(miner.id)}`)
        .send(miner);
    },
  );

  app.get(
    '/api/miners/:id',
    { schema: { params: MinerIdParams, response: { 200: MinerView, ...errorResponses } } },
    async (request) => requireMiner(monitor, request.params.id),
  );

  app.patch(
    '/api/miners/:id',
    {
      schema: {
        params: MinerIdParams,
        body: UpdateMinerBody,
        response: { 200: MinerView, ...errorResponses },
      },
    },
    async (request) => {
      requireMiner(monitor, request.params.id);
      return monitor.updateMiner(request.params.id, request.body, actorOf(request));
    },
  );

  app.delete(
    '/api/miners/:id',
    {
      schema: {
        params: MinerIdParams,
        querystring: Type.Object(
          { dropHistory: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const removed = await monitor.removeMiner(request.params.id, {
        dropHistory: request.query.dropHistory ?? false,
      });
      if (!removed) throw new ApiError('MINER_NOT_FOUND', `no miner with id '${request.params.id}'`);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/miners/:id/restart',
    { schema: { params: MinerIdParams, response: { 202: RestartStatus, ...errorResponses } } },
    async (request, reply) => {
      requireMiner(monitor, request.params.id);
      const status = await monitor.restartMiner(request.params.id, actorOf(request));
      return reply.code(202).send(status);
    },
  );

  app.get(
    '/api/miners/:id/metrics',
    {
      schema: {
        params: MinerIdParams,
        querystring: SeriesQuery,
        response: { 200: Series, ...errorResponses },
      },
    },
    async (request) => {
      requireMiner(monitor, request.params.id);
      return monitor.series(request.params.id, resolveRange(request.query, ctx.clock.now()));
    },
  );

  app.get(
    '/api/miners/:id/events',
    {
      schema: {
        params: MinerIdParams,
        querystring: Type.Object({ limit: Type.Optional(ListLimit) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ events: List(EventRecord) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      requireMiner(monitor, request.params.id);
      const events = await monitor.listEvents({
        minerId: request.params.id,
        limit: request.query.limit ?? 100,
      });
      return { events };
    },
  );
}
