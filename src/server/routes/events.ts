/** GET /api/events: the live feed, as server-sent events. */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { errorResponses } from '../schemas/common.js';
import type { EventStreams } from '../sse.js';

export function eventRoutes(app: FastifyInstance, streams: EventStreams): void {
  app.get(
    '/api/events',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          // EventSource cannot send headers; see auth.ts.
          properties: { token: { type: 'string', maxLength: 500 } },
        },
        response: { ...errorResponses },
      },
    },
    async (_request, reply) => {
      if (streams.full) throw new ApiError('TOO_MANY_STREAMS', 'too many open event streams');
      reply.hijack();
      streams.add(reply.raw);
    },
  );
}
