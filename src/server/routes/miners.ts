/** /api/miners: list, add, read, change, remove, restart, history. */
import type { FastifyInstance } from 'fastify';
import type { AddMinerInput, UpdateMinerInput } from '../../monitor/types.js';
import { type RouteContext, requireMiner, resolveRange, withDeadline } from '../context.js';
import { ApiError } from '../errors.js';
import { listedMiner } from '../listedMiner.js';
import { errorResponses, minerIdParams, type SeriesQuerystring, seriesQuery } from '../schemas/common.js';
import {
  addMinerBody,
  eventRecord,
  minerView,
  restartStatus,
  series,
  updateMinerBody,
} from '../schemas/miner.js';

interface IdParams {
  readonly id: string;
}

export function minerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { monitor } = ctx;

  app.get(
    '/api/miners',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['miners'],
            properties: { miners: { type: 'array', items: minerView } },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ miners: monitor.listMiners().map(listedMiner) }),
  );

  app.post<{ Body: AddMinerInput }>(
    '/api/miners',
    { schema: { body: addMinerBody, response: { 201: minerView, ...errorResponses } } },
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

  app.get<{ Params: IdParams }>(
    '/api/miners/:id',
    { schema: { params: minerIdParams, response: { 200: minerView, ...errorResponses } } },
    async (request) => requireMiner(monitor, request.params.id),
  );

  app.patch<{ Params: IdParams; Body: UpdateMinerInput }>(
    '/api/miners/:id',
    {
      schema: {
        params: minerIdParams,
        body: updateMinerBody,
        response: { 200: minerView, ...errorResponses },
      },
    },
    async (request) => {
      requireMiner(monitor, request.params.id);
      return monitor.updateMiner(request.params.id, request.body);
    },
  );

  app.delete<{ Params: IdParams; Querystring: { dropHistory?: boolean } }>(
    '/api/miners/:id',
    {
      schema: {
        params: minerIdParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { dropHistory: { type: 'boolean' } },
        },
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const removed = await monitor.removeMiner(request.params.id, {
        dropHistory: request.query.dropHistory ?? false,
      });
      if (!removed) throw new ApiError('MINER_NOT_FOUND', `no miner with id '${request.params.id}'`);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: IdParams }>(
    '/api/miners/:id/restart',
    { schema: { params: minerIdParams, response: { 202: restartStatus, ...errorResponses } } },
    async (request, reply) => {
      requireMiner(monitor, request.params.id);
      const status = await monitor.restartMiner(request.params.id);
      return reply.code(202).send(status);
    },
  );

  app.get<{ Params: IdParams; Querystring: SeriesQuerystring }>(
    '/api/miners/:id/metrics',
    {
      schema: {
        params: minerIdParams,
        querystring: seriesQuery,
        response: { 200: series, ...errorResponses },
      },
    },
    async (request) => {
      requireMiner(monitor, request.params.id);
      return monitor.series(request.params.id, resolveRange(request.query, ctx.clock.now()));
    },
  );

  app.get<{ Params: IdParams; Querystring: { limit?: number } }>(
    '/api/miners/:id/events',
    {
      schema: {
        params: minerIdParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['events'],
            properties: { events: { type: 'array', items: eventRecord } },
          },
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
