/** The fleet actions' API shapes (TypeBox), for POST /api/actions and GET /api/actions/:id. */
import Type from 'typebox';
import { ACTION_KINDS, ACTION_STATES, DEFAULT_ROLLOUT, MINER_ACTION_STATES } from './Action.js';
import { FleetSettings } from './settingsSchema.js';

const MinerId = Type.String({ minLength: 1, maxLength: 200 });
const Tag = Type.String({ minLength: 1, maxLength: 64 });

export const ActionTargetSchema = Type.Object(
  {
    ids: Type.Optional(Type.Array(MinerId, { maxItems: 100_000 })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 100 })),
    all: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const RolloutSchema = Type.Object(
  {
    canary: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 10_000, description: `@default ${DEFAULT_ROLLOUT.canary}` }),
    ),
    batchSize: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000, description: `@default ${DEFAULT_ROLLOUT.batchSize}` }),
    ),
    haltOnFailure: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ActionBody = Type.Object(
  {
    action: Type.Enum(ACTION_KINDS),
    target: ActionTargetSchema,
    settings: Type.Optional(FleetSettings),
    profile: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    rollout: Type.Optional(RolloutSchema),
  },
  { additionalProperties: false },
);

export const ActionIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

const Counts = Type.Object(
  Object.fromEntries(MINER_ACTION_STATES.map((state) => [state, Type.Integer()])) as Record<
    (typeof MINER_ACTION_STATES)[number],
    ReturnType<typeof Type.Integer>
  >,
);

const nullableString = Type.Union([Type.String(), Type.Null()]);
const nullableNumber = Type.Union([Type.Number(), Type.Null()]);

const summaryFields = {
  id: Type.String(),
  action: Type.Enum(ACTION_KINDS),
  state: Type.Enum(ACTION_STATES),
  halted: Type.Boolean(),
  haltReason: nullableString,
  counts: Counts,
  createdAt: Type.Number(),
  finishedAt: nullableNumber,
};

export const ActionSummarySchema = Type.Object(summaryFields);

export const ActionViewSchema = Type.Object({
  ...summaryFields,
  actor: Type.String(),
  target: ActionTargetSchema,
  settings: Type.Union([FleetSettings, Type.Null()]),
  profile: nullableString,
  rollout: Type.Object({ canary: Type.Integer(), batchSize: Type.Integer(), haltOnFailure: Type.Boolean() }),
  miners: Type.Array(
    Type.Object({
      minerId: Type.String(),
      batch: Type.Integer(),
      state: Type.Enum(MINER_ACTION_STATES),
      error: nullableString,
      updatedAt: Type.Number(),
    }),
  ),
});
