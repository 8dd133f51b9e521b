/** /api/resilience: every breaker's stats, and resetting one. */
import Type from 'typebox';
import type { App, RouteContext } from '../context.js';
import { ApiError } from '../errors.js';
import { errorResponses, OpenObject } from '../schemas/common.js';

export function resilienceRoutes(app: App, ctx: RouteContext): void {
  const { breakers } = ctx;

  app.get(
    '/api/resilience',
    {
      schema: {
        response: {
          200: Type.Unsafe<Record<string, object>>({ type: 'object', additionalProperties: OpenObject }),
          ...errorResponses,
        },
      },
    },
    async () => breakers.getStats(),
  );

  // Names hold ':' and '/' (`http_requests:http://10.0.0.5`); clients percent-encode them and
  // fastify decodes the parameter, so one path segment carries the whole name.
  app.post(
    '/api/resilience/breakers/:name/reset',
    {
      schema: {
        params: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ name: Type.String(), reset: Type.Boolean(), stats: OpenObject }),
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
