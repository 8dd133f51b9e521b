/**
 * POST /api/discover: scan an address range for miners. Plain JSON answers once the scan ends;
 * `Accept: application/x-ndjson` streams progress lines first (the CLI draws its bar from them).
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { DiscoverProgress } from '../../monitor/types.js';
import { type RouteContext, withDeadline } from '../context.js';
import { toApiError } from '../errors.js';
import { errorResponses } from '../schemas/common.js';
import { discoveredMiner } from '../schemas/miner.js';

const NDJSON = 'application/x-ndjson';

export function discoverRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: { target: string } }>(
    '/api/discover',
    {
      schema: {
        body: {
          type: 'object',
          required: ['target'],
          additionalProperties: false,
          properties: { target: { type: 'string', minLength: 1, maxLength: 100 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['target', 'miners'],
            properties: { target: { type: 'string' }, miners: { type: 'array', items: discoveredMiner } },
          },
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
      return reply.type(NDJSON).send(out);
    },
  );
}
