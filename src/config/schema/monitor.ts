/** What the monitor calls unwell, whom it tells and when, and what its watchdog may do. */
import Type from 'typebox';
import { NOTIFIER_FACTORIES } from '../../monitor/notifiers/registry.js';
import { DEFAULT_POW, DEFAULT_WATCHDOG } from '../../monitor/state/settings.js';
import { SEVERITIES } from '../../storage/Storage.js';

const SEVERITY = Type.Enum(SEVERITIES);
const CLOCK_TIME = Type.String({ pattern: '^([01]?\\d|2[0-3]):[0-5]\\d$', 'x-expected': 'a time HH:MM' });

export const monitorSettings = {
  thresholds: Type.Record(Type.String(), Type.Number(), {
    default: {},
    'x-expected': 'an object of numbers',
    description:
      'Overrides of the status thresholds, e.g. `{ offlineAfterFailures: 5 }` (names and defaults in src/monitor/thresholds.ts).',
  }),
  powHealth: Type.Object(
    {
      enabled: Type.Optional(
        Type.Boolean({ description: `Judge shares against hashrate (${DEFAULT_POW.enabled}).` }),
      ),
      pValue: Type.Optional(
        Type.Number({
          exclusiveMinimum: 0,
          exclusiveMaximum: 1,
          description: `Below this probability for the shares seen, a miner is not_hashing (${DEFAULT_POW.pValue}).`,
        }),
      ),
      hashrateCredit: Type.Optional(
        Type.Number({
          exclusiveMinimum: 0,
          maximum: 1,
          description: `Share of the reported hashrate believed (${DEFAULT_POW.hashrateCredit}).`,
        }),
      ),
      windowShares: Type.Optional(
        Type.Number({
          exclusiveMinimum: 0,
          description: `Expected shares per counting window (${DEFAULT_POW.windowShares}).`,
        }),
      ),
      maxGapMs: Type.Optional(
        Type.Number({
          exclusiveMinimum: 0,
          description: `A longer gap between samples starts the count again (${DEFAULT_POW.maxGapMs}).`,
        }),
      ),
      bestPValue: Type.Optional(
        Type.Number({
          exclusiveMinimum: 0,
          exclusiveMaximum: 1,
          description: `Flag a session best less likely than this for the work done (${DEFAULT_POW.bestPValue}).`,
        }),
      ),
    },
    {
      additionalProperties: false,
      default: {},
      description:
        'Proof-of-work health: a miner whose accepted shares are too few for its hashrate is not_hashing.',
    },
  ),
  watchdog: Type.Object(
    {
      enabled: Type.Optional(
        Type.Boolean({ description: `Restart unwell miners (${DEFAULT_WATCHDOG.enabled}).` }),
      ),
      maxRestartsPerHour: Type.Optional(
        Type.Integer({
          minimum: 1,
          description: `Restarts per miner within an hour before it gives up and alerts (${DEFAULT_WATCHDOG.maxRestartsPerHour}).`,
        }),
      ),
      cooldownMs: Type.Optional(
        Type.Number({
          minimum: 0,
          description: `Time between two restarts of one miner (${DEFAULT_WATCHDOG.cooldownMs}).`,
        }),
      ),
    },
    {
      additionalProperties: false,
      default: {},
      description: 'Restarts a miner that is not_hashing, stalled or too hot; off unless enabled.',
    },
  ),
  quietHours: Type.Union(
    [
      Type.Null(),
      Type.Object(
        {
          from: CLOCK_TIME,
          to: CLOCK_TIME,
          timeZone: Type.Optional(
            Type.String({ description: 'IANA time zone; the process default if absent.' }),
          ),
          minSeverity: Type.Optional(SEVERITY),
        },
        { additionalProperties: false, 'x-expected': 'an object like { from: "22:00", to: "07:00" }' },
      ),
    ],
    {
      default: null,
      description:
        'Daily hours when only alerts at or above `minSeverity` (critical) are sent: `{ from, to, timeZone? }`.',
    },
  ),
  notifiers: Type.Array(
    Type.Object(
      {
        kind: Type.Enum(Object.keys(NOTIFIER_FACTORIES), {
          description: 'The channel; its other keys are in the README under Notifications.',
        }),
        alerts: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
        minSeverity: Type.Optional(SEVERITY),
      },
      { 'x-expected': `an object with a \`kind\` (${Object.keys(NOTIFIER_FACTORIES).join(', ')})` },
    ),
    {
      default: [],
      description:
        'Notification channels, each `{ kind: webhook | ntfy | telegram | discord, ..., alerts?, minSeverity? }`.',
    },
  ),
};
