/** What the monitor calls unwell, and whom it tells. */
import Type from 'typebox';
import { NOTIFIER_FACTORIES } from '../../monitor/notifiers/registry.js';

export const monitorSettings = {
  thresholds: Type.Record(Type.String(), Type.Number(), {
    default: {},
    'x-expected': 'an object of numbers',
    description:
      'Overrides of the status thresholds, e.g. `{ offlineAfterFailures: 5 }` (names and defaults in src/monitor/thresholds.ts).',
  }),
  notifiers: Type.Array(
    Type.Object(
      {
        kind: Type.Enum(Object.keys(NOTIFIER_FACTORIES), {
          description: 'The channel; its other keys are in the README under Notifications.',
        }),
      },
      { 'x-expected': `an object with a \`kind\` (${Object.keys(NOTIFIER_FACTORIES).join(', ')})` },
    ),
    {
      default: [],
      description: 'Notification channels, each `{ kind: webhook | ntfy | telegram | discord, ... }`.',
    },
  ),
};
