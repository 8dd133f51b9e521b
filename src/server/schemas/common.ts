/**
 * TypeBox building blocks shared by the routes: request schemas check and type what a handler
 * receives (through the TypeBox type provider), response schemas serialize what it returns.
 */
import Type, { type Static, type TSchema, type TUnsafe } from 'typebox';

interface NullableTypes {
  readonly string: string;
  readonly number: number;
  readonly integer: number;
  readonly boolean: boolean;
}

/**
 * `type: [T, 'null']`, not `anyOf`: the serializer writes it without trying each branch, which
 * matters for the 10,000-miner list.
 */
export const nullable = <K extends keyof NullableTypes>(type: K): TUnsafe<NullableTypes[K] | null> =>
  Type.Unsafe<NullableTypes[K] | null>({ type: [type, 'null'] });

/** An object schema that may also be null, serialized the same fast way as `nullable`. */
export const orNull = <S extends TSchema>(schema: S): TUnsafe<Static<S> | null> =>
  Type.Unsafe<Static<S> | null>({ ...schema, type: ['object', 'null'] });

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    /** Set with BREAKER_OPEN and RESTART_COOLDOWN: when trying again makes sense. */
    retryAfterMs: Type.Optional(Type.Number()),
  }),
});

/** Every route answers these error statuses in the same shape. */
export const errorResponses = {
  '4xx': ErrorResponse,
  '5xx': ErrorResponse,
} as const;

/**
 * A list the handler hands over as a `readonly` array (the domain's types are read-only); the
 * JSON Schema is the plain `Type.Array`.
 */
export const List = <S extends TSchema>(items: S): TUnsafe<readonly Static<S>[]> =>
  Type.Unsafe<readonly Static<S>[]>(Type.Array(items));

/** An object whose fields we pass through as they are (device raw fields, breaker stats). */
export const OpenObject = Type.Unsafe<object>({ type: 'object', additionalProperties: true });

export const MinerIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const DAY_MS = 86_400_000;
export const DEFAULT_POINTS = 300;

/** `from`/`to` in epoch ms, `points` the most buckets wanted. Defaults are filled in by the route. */
export const SeriesQuery = Type.Object(
  {
    from: Type.Optional(Type.Integer({ minimum: 0 })),
    to: Type.Optional(Type.Integer({ minimum: 0 })),
    points: Type.Optional(Type.Integer({ minimum: 2, maximum: 2000 })),
  },
  { additionalProperties: false },
);
export type SeriesQuerystring = Static<typeof SeriesQuery>;

/** `?limit=` of the event and alert lists. */
export const ListLimit = Type.Integer({ minimum: 1, maximum: 1000 });
