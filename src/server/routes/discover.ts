/**
 * POST /api/discover: scan an address range for miners. Plain JSON answers once the scan ends;
 * `Accept: application/x-ndjson` streams progress lines first (the CLI draws its bar from them).
 */
import { PassThrough } from 'node:stream';
import Type from 'typebox';
import type { DiscoverProgress } from '../../monitor/types.js';
import { type App, type RouteContext, withDeadline } from '../context.js';
import { toApiError } from '../errors.js';
import { errorResponses, List } from '../schemas/common.js';
import { DiscoveredMiner } from '../schemas/miner.js';

const NDJSON = 'application/x-ndjson';

export function discoverRoutes(app: App, ctx: RouteContext): void {
  app.post(
    '/api/discover',
    {
      schema: {
        body: Type.Object(
          { target: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ target: Type.String(), miners: List(DiscoveredMiner) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { target } = request.body;
      const scan = (onProgress?: (p: DiscoverProgress) => void) =>
        withDeadline(reply, ctx.discoverTimeoutMs, 'the discovery scan', (signal) =>
          ctx.monitor.discover(target, onProgress === undefined ? { signal } : { signal, onProgress }),
        );

      if (!(request.headers.accept ?? '').includes(NDJSON)) {
        return { target, miners: await scan() };
      }

      const out = new PassThrough();
      const line = (value: unknown) => out.write(`${JSON.stringify(value)}\n`);
      scan((progress) => line({ type: 'progress', ...progress }))
        .then((miners) => line({ type: 'result', target, miners }))
        .catch((error: unknown) => {
          const apiError = toApiError(error);
          line({ type: 'error', error: { code: apiError.code, message: apiError.message } });
        })
        .finally(() => out.end());
      // A stream of lines, not the 200 schema's one object: nothing to serialize.
      return reply.type(NDJSON).send(out as never);
    },
  );
}
