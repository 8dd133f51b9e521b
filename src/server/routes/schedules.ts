/** GET /api/schedules: the config's schedules, with when each runs next and how its last run went. */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ScheduleView } from '../../monitor/schedules/Scheduler.js';
import { errorResponses } from '../schemas/common.js';

export interface SchedulesApi {
  list(): ScheduleView[];
}

const ScheduleViewSchema = Type.Object(
  {
    name: Type.String(),
    at: Type.String(),
    timeZone: Type.String(),
    action: Type.String(),
    nextRunAt: Type.Union([Type.Number(), Type.Null()]),
    lastRun: Type.Union([
      Type.Object({
        at: Type.Number(),
        actionId: Type.Union([Type.String(), Type.Null()]),
        error: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ]),
  },
  // days, profile, target and rollout pass through as the config gives them.
  { additionalProperties: true },
);

export function scheduleRoutes(app: FastifyInstance, schedules: SchedulesApi): void {
  app.get(
    '/api/schedules',
    {
      schema: {
        response: { 200: Type.Object({ schedules: Type.Array(ScheduleViewSchema) }), ...errorResponses },
      },
    },
    async () => ({ schedules: schedules.list() }),
  );
}
