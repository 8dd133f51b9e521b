/** JSON Schema building blocks shared by the routes. Responses are serialized through them too. */

export const nullable = (type: 'string' | 'number' | 'integer' | 'boolean') =>
  ({ type: [type, 'null'] }) as const;

export const errorResponse = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

/** Every route answers these error statuses in the same shape. */
export const errorResponses = {
  '4xx': errorResponse,
  '5xx': errorResponse,
} as const;

/** An object whose fields we pass through as they are (device raw fields, breaker stats). */
export const openObject = { type: 'object', additionalProperties: true } as const;

export const minerIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export const DAY_MS = 86_400_000;
export const DEFAULT_POINTS = 300;

/** `from`/`to` in epoch ms, `points` the most buckets wanted. Defaults are filled in by the route. */
export const seriesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { type: 'integer', minimum: 0 },
    to: { type: 'integer', minimum: 0 },
    points: { type: 'integer', minimum: 2, maximum: 2000 },
  },
} as const;

export interface SeriesQuerystring {
  readonly from?: number;
  readonly to?: number;
  readonly points?: number;
}
