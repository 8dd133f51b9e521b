/** /api/actions: one command over many miners, rolled out a canary and batches at a time. */
import type { FastifyInstance } from 'fastify';
import type { ActionRequest, ActionSummary, ActionView } from '../../monitor/actions/Action.js';
import { isActionError } from '../../monitor/actions/ActionError.js';
import {
  ActionBody,
  ActionIdParams,
  ActionSummarySchema,
  ActionViewSchema,
} from '../../monitor/actions/schemas.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../schemas/common.js';

/** What the routes need of the action engine. */
export interface ActionsApi {
  start(request: ActionRequest, actor: string): ActionView;
  get(id: string): ActionView | null;
  list(): ActionSummary[];
}

/** Who asked, as recorded with every change: the API has one token, so one client. */
export const API_ACTOR = 'api';

export function actionRoutes(app: FastifyInstance, actions: ActionsApi): void {
  app.post<{ Body: ActionRequest }>(
    '/api/actions',
    {
      schema: {
        body: ActionBody,
        response: {
          202: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      try {
        const { id } = actions.start(request.body, API_ACTOR);
        return reply
          .code(202)
          .header('location', `/api/actions/${encodeURIComponent(id)}`)
          .send({ id });
      } catch (error) {
        if (isActionError(error)) throw new ApiError(error.code, error.message, { cause: error });
        throw error;
      }
    },
  );

  app.get(
    '/api/actions',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['actions'],
            properties: { actions: { type: 'array', items: ActionSummarySchema } },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ actions: actions.list() }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/actions/:id',
    { schema: { params: ActionIdParams, response: { 200: ActionViewSchema, ...errorResponses } } },
    async (request) => {
      const view = actions.get(request.params.id);
      if (view === null) throw new ApiError('ACTION_NOT_FOUND', `no action with id '${request.params.id}'`);
      return view;
    },
  );
}
