/**
 * Per-miner control: GET/PATCH /api/miners/:id/settings, POST /pause, /resume, /identify. Every
 * call goes to the one MinerControl, with the API client as the actor.
 */
import type { FastifyRequest } from 'fastify';
import type { Actor, MinerControl } from '../../monitor/control/MinerControl.js';
import {
  ApplyResultSchema,
  CommandResultSchema,
  SettingsPatchSchema,
  SettingsReadingSchema,
} from '../../monitor/control/schema.js';
import { type App, type RouteContext, requireMiner, withDeadline } from '../context.js';
import { ApiError } from '../errors.js';
import { errorResponses, MinerIdParams } from '../schemas/common.js';

/** The header a client may name itself in; events record `api:<name>`. */
export const CLIENT_HEADER = 'x-solowatch-client';

/** `api:<client>` from the client's own name (letters, digits, `._-`, at most 64), else `api:api`. */
export function actorOf(request: FastifyRequest): Actor {
  const given = request.headers[CLIENT_HEADER];
  const name = typeof given === 'string' ? given.trim().slice(0, 64) : '';
  return `api:${/^[\w.-]+$/.test(name) ? name : 'api'}`;
}

const COMMANDS = ['pause', 'resume', 'identify'] as const;

export function controlRoutes(app: App, ctx: RouteContext): void {
  const { monitor } = ctx;
  const control = (): MinerControl => {
    if (ctx.control === null) throw new ApiError('UNSUPPORTED', 'control is not available in this server');
    return ctx.control;
  };

  app.get(
    '/api/miners/:id/settings',
    { schema: { params: MinerIdParams, response: { 200: SettingsReadingSchema, ...errorResponses } } },
    async (request, reply) => {
      requireMiner(monitor, request.params.id);
      return withDeadline(reply, ctx.operationTimeoutMs, 'reading the settings', (signal) =>
        control().readSettings(request.params.id, signal),
      );
    },
  );

  app.patch(
    '/api/miners/:id/settings',
    {
      schema: {
        params: MinerIdParams,
        body: SettingsPatchSchema,
        response: { 200: ApplyResultSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      requireMiner(monitor, request.params.id);
      return withDeadline(reply, ctx.operationTimeoutMs, 'changing the settings', (signal) =>
        control().applySettings(request.params.id, request.body, actorOf(request), signal),
      );
    },
  );

  for (const command of COMMANDS) {
    app.post(
      `/api/miners/:id/${command}`,
      { schema: { params: MinerIdParams, response: { 202: CommandResultSchema, ...errorResponses } } },
      async (request, reply) => {
        requireMiner(monitor, request.params.id);
        const result = await withDeadline(reply, ctx.operationTimeoutMs, command, (signal) =>
          control()[command](request.params.id, actorOf(request), signal),
        );
        return reply.code(202).send(result);
      },
    );
  }
}
