/** /api/profiles: saved settings profiles, applied to miners as a fleet action. */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { FleetSettings } from '../../monitor/actions/settingsSchema.js';
import {
  ProfileBody,
  type ProfileInput,
  ProfileName,
  ProfileSchema,
} from '../../monitor/profiles/Profile.js';
import { isProfileError, type ProfileStore } from '../../monitor/profiles/ProfileStore.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../schemas/common.js';

export type ProfilesApi = Pick<ProfileStore, 'list' | 'get' | 'create' | 'replace' | 'remove'>;

const NameParams = Type.Object({ name: ProfileName }, { additionalProperties: false });
const ReplaceBody = Type.Object(
  { description: Type.Optional(Type.String({ maxLength: 500 })), settings: FleetSettings },
  { additionalProperties: false },
);

async function mapped<T>(run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isProfileError(error)) throw new ApiError(error.code, error.message, { cause: error });
    throw error;
  }
}

export function profileRoutes(app: FastifyInstance, profiles: ProfilesApi): void {
  app.get(
    '/api/profiles',
    {
      schema: {
        response: {
          200: Type.Object({ profiles: Type.Array(ProfileSchema) }),
          ...errorResponses,
        },
      },
    },
    async () => ({ profiles: profiles.list() }),
  );

  app.post<{ Body: ProfileInput }>(
    '/api/profiles',
    { schema: { body: ProfileBody, response: { 201: ProfileSchema, ...errorResponses } } },
    async (request, reply) => {
      const profile = await mapped(() => profiles.create(request.body));
      return reply
        .code(201)
        .header('location', `/api/profiles/${encodeURIComponent(profile.name)}`)
        .send(profile);
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/profiles/:name',
    { schema: { params: NameParams, response: { 200: ProfileSchema, ...errorResponses } } },
    async (request) => {
      const profile = profiles.get(request.params.name);
      if (profile === null)
        throw new ApiError('PROFILE_NOT_FOUND', `no profile named '${request.params.name}'`);
      return profile;
    },
  );

  app.put<{ Params: { name: string }; Body: Omit<ProfileInput, 'name'> }>(
    '/api/profiles/:name',
    {
      schema: { params: NameParams, body: ReplaceBody, response: { 200: ProfileSchema, ...errorResponses } },
    },
    async (request) => mapped(() => profiles.replace(request.params.name, request.body)),
  );

  app.delete<{ Params: { name: string } }>(
    '/api/profiles/:name',
    { schema: { params: NameParams, response: { 204: { type: 'null' }, ...errorResponses } } },
    async (request, reply) => {
      await mapped(() => profiles.remove(request.params.name));
      return reply.code(204).send();
    },
  );
}
