/** /api/resilience: every breaker's stats, and resetting one. */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';
import { ApiError } from '../errors.js';
import { errorResponses, openObject } from '../schemas/common.js';

export function resilienceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { breakers } = ctx;

  app.get(
    '/api/resilience',
    {
      schema: {
        response: { 200: { type: 'object', additionalProperties: openObject }, ...errorResponses },
      },
    },
    async () => breakers.getStats(),
  );

  // Names hold ':' and '/' (`http_requests:http://10.0.0.5`); clients percent-encode them and
  // fastify decodes the parameter, so one path segment carries the whole name.
  app.post<{ Params: { name: string } }>(
    '/api/resilience/breakers/:name/reset',
    {
      schema: {
        params: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1, maxLength: 500 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['name', 'reset', 'stats'],
            properties: { name: { type: 'string' }, reset: { type: 'boolean' }, stats: openObject },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { name } = request.params;
      if (!breakers.has(name)) throw new ApiError('BREAKER_NOT_FOUND', `no circuit breaker named '${name}'`);
      breakers.reset(name);
      const stats = breakers.getStats()[name] ?? null;
      if (stats === null) throw new ApiError('BREAKER_NOT_FOUND', `circuit breaker '${name}' went away`);
      return { name, reset: true, stats };
    },
  );
}
