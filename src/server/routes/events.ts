/** GET /api/events: the live feed, as server-sent events. */
import Type from 'typebox';
import type { App } from '../context.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../schemas/common.js';
import type { EventStreams } from '../sse.js';

export function eventRoutes(app: App, streams: EventStreams): void {
  app.get(
    '/api/events',
    {
      schema: {
        // EventSource cannot send headers; see auth.ts.
        querystring: Type.Object(
          { token: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false },
        ),
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
