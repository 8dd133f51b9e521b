/** /api/fleet, /api/fleet/series and /api/alerts: the whole fleet at a glance. */
import Type from 'typebox';
import { energyCost } from '../../monitor/energyCost.js';
import { type App, type RouteContext, resolveRange } from '../context.js';
import { errorResponses, List, ListLimit, SeriesQuery } from '../schemas/common.js';
import { FleetSeries, FleetSummary } from '../schemas/fleet.js';
import { AlertRecord } from '../schemas/miner.js';

export function fleetRoutes(app: App, ctx: RouteContext): void {
  const { monitor } = ctx;

  app.get('/api/fleet', { schema: { response: { 200: FleetSummary, ...errorResponses } } }, async () => {
    const fleet = monitor.fleet();
    return { ...fleet, energy: ctx.energy === null ? null : energyCost(fleet, ctx.energy) };
  });

  app.get(
    '/api/fleet/series',
    { schema: { querystring: SeriesQuery, response: { 200: FleetSeries, ...errorResponses } } },
    async (request) => {
      const range = resolveRange(request.query, ctx.clock.now());
      const points = await monitor.fleetSeries(range);
      return { from: range.from, to: range.to, points };
    },
  );

  app.get(
    '/api/alerts',
    {
      schema: {
        querystring: Type.Object(
          { openOnly: Type.Optional(Type.Boolean()), limit: Type.Optional(ListLimit) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ alerts: List(AlertRecord) }),
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
