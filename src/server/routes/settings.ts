/**
 * /api/settings: the settings an operator may change from the dashboard while solowatch runs.
 * Today that is the watchdog (DESIGN "Status, proof of work, and the watchdog"); its limits are the
 * config file's, written once in src/config/schema/monitor.ts.
 */
import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { monitorSettings } from '../../config/schema/monitor.js';
import type { WatchdogSettings } from '../../monitor/state/settings.js';
import type { WatchdogControl } from '../deps.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../schemas/common.js';

const watchdogSettings = Type.Object(
  {
    enabled: Type.Boolean(),
    maxRestartsPerHour: Type.Integer(),
    cooldownMs: Type.Number(),
  },
  { additionalProperties: false },
);

const watchdogView = Type.Object({
  settings: watchdogSettings,
  source: Type.Enum(['config', 'dashboard']),
  fromConfig: watchdogSettings,
});

/** The config file's watchdog keys, all optional, or `{ "useConfig": true }` alone to go back to them. */
const watchdogPatch = Type.Object(
  {
    ...monitorSettings.watchdog.properties,
    useConfig: Type.Optional(Type.Literal(true, { description: 'Forget the dashboard choice.' })),
  },
  { additionalProperties: false },
);

export function settingsRoutes(app: FastifyInstance, watchdog: WatchdogControl | null): void {
  const control = (): WatchdogControl => {
    if (watchdog === null) throw new ApiError('NOT_FOUND', 'this server has no watchdog settings');
    return watchdog;
  };

  app.get(
    '/api/settings',
    { schema: { response: { 200: Type.Object({ watchdog: watchdogView }), ...errorResponses } } },
    async () => ({ watchdog: control().view() }),
  );

  app.patch<{ Body: Static<typeof watchdogPatch> }>(
    '/api/settings/watchdog',
    { schema: { body: watchdogPatch, response: { 200: watchdogView, ...errorResponses } } },
    async (request) => {
      const { useConfig, ...change } = request.body;
      if (useConfig === true) {
        if (Object.keys(change).length > 0) {
          throw new ApiError(
            'INVALID_INPUT',
            `body.useConfig goes alone, not with ${Object.keys(change).join(', ')}`,
          );
        }
        return control().useConfig();
      }
      try {
        return await control().update(change as Partial<WatchdogSettings>);
      } catch (error) {
        if (error instanceof RangeError) throw new ApiError('INVALID_INPUT', `body: ${error.message}`);
        throw error;
      }
    },
  );
}
