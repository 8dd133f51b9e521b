/**
 * /api/schedules: the schedules in force, with when each runs next and how its last run went;
 * those made over the API are created, replaced and deleted here, the config file's are read-only.
 */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ScheduleConfigError } from '../../monitor/schedules/resolveSchedules.js';
import type { Schedule, ScheduleView } from '../../monitor/schedules/Scheduler.js';
import {
  isScheduleError,
  ScheduleBody,
  type ScheduleInput,
  type ScheduleStore,
} from '../../monitor/schedules/ScheduleStore.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../schemas/common.js';
import { actorOf } from './control.js';

export interface SchedulesApi {
  list(): ScheduleView[];
  /** Without it the schedules are read-only (no POST, PUT or DELETE routes). */
  readonly store?: Pick<ScheduleStore, 'create' | 'replace' | 'remove'>;
}

const ScheduleViewSchema = Type.Object(
  {
    name: Type.String(),
    source: Type.Union([Type.Literal('config'), Type.Literal('api')]),
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
  // days, profile, target and rollout pass through as written.
  { additionalProperties: true },
);

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) });

async function mapped<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isScheduleError(error)) throw new ApiError(error.code, error.message, { cause: error });
    if (error instanceof ScheduleConfigError)
      throw new ApiError('INVALID_INPUT', error.message, { cause: error });
    throw error;
  }
}

export function scheduleRoutes(app: FastifyInstance, schedules: SchedulesApi): void {
  const viewOf = (schedule: Schedule): ScheduleView => {
    const view = schedules.list().find((s) => s.name === schedule.name);
    if (view === undefined) throw new Error(`schedule ${schedule.name} missing from the scheduler`);
    return view;
  };

  app.get(
    '/api/schedules',
    {
      schema: {
        response: { 200: Type.Object({ schedules: Type.Array(ScheduleViewSchema) }), ...errorResponses },
      },
    },
    async () => ({ schedules: schedules.list() }),
  );

  const { store } = schedules;
  if (store === undefined) return;

  app.post<{ Body: ScheduleInput }>(
    '/api/schedules',
    { schema: { body: ScheduleBody, response: { 201: ScheduleViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const schedule = await mapped(() => store.create(request.body, actorOf(request)));
      return reply
        .code(201)
        .header('location', `/api/schedules/${encodeURIComponent(schedule.name)}`)
        .send(viewOf(schedule));
    },
  );

  app.put<{ Params: { name: string }; Body: ScheduleInput }>(
    '/api/schedules/:name',
    {
      schema: {
        params: NameParams,
        body: ScheduleBody,
        response: { 200: ScheduleViewSchema, ...errorResponses },
      },
    },
    async (request) =>
      viewOf(await mapped(() => store.replace(request.params.name, request.body, actorOf(request)))),
  );

  app.delete<{ Params: { name: string } }>(
    '/api/schedules/:name',
    { schema: { params: NameParams, response: { 204: { type: 'null' }, ...errorResponses } } },
    async (request, reply) => {
      await mapped(() => store.remove(request.params.name, actorOf(request)));
      return reply.code(204).send();
    },
  );
}
