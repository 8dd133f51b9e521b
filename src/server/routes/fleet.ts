/** /api/fleet, /api/fleet/series and /api/alerts: the whole fleet at a glance. */
import type { FastifyInstance } from 'fastify';
import { energyCost } from '../../monitor/energyCost.js';
import { type RouteContext, resolveRange } from '../context.js';
import { errorResponses, type SeriesQuerystring, seriesQuery } from '../schemas/common.js';
import { fleetSeries, fleetSummary } from '../schemas/fleet.js';
import { alertRecord } from '../schemas/miner.js';

export function fleetRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { monitor } = ctx;

  app.get('/api/fleet', { schema: { response: { 200: fleetSummary, ...errorResponses } } }, async () => {
    const fleet = monitor.fleet();
    return { ...fleet, energy: ctx.energy === null ? null : energyCost(fleet, ctx.energy) };
  });

  app.get<{ Querystring: SeriesQuerystring }>(
    '/api/fleet/series',
    { schema: { querystring: seriesQuery, response: { 200: fleetSeries, ...errorResponses } } },
    async (request) => {
      const range = resolveRange(request.query, ctx.clock.now());
      const points = await monitor.fleetSeries(range);
      return { from: range.from, to: range.to, points };
    },
  );

  app.get<{ Querystring: { openOnly?: boolean; limit?: number } }>(
    '/api/alerts',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            openOnly: { type: 'boolean' },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['alerts'],
            properties: { alerts: { type: 'array', items: alertRecord } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const alerts = await monitor.listAlerts({
        openOnly: request.query.openOnly ?? false,
        limit: request.query.limit ?? 100,
      });
      return { alerts };
    },
  );
}
