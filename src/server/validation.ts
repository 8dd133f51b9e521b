/**
 * Turns ajv's failure into a message that names the field, what it must be and what it was, the
 * same words the config file's errors use, e.g.
 * `body.port must be a port number from 1 to 65535, got 70000`.
 */
import type { ErrorObject, Options } from 'ajv';
import type { FastifySchemaValidationError } from 'fastify';
import { ANNOTATIONS } from '../schema/expected.js';
import { describeProblem, explain } from '../schema/validator.js';

/**
 * The ajv fastify validates requests with. `verbose` keeps the bad value and its schema on each
 * error (the message shows both); `allErrors` stays off, so a hostile body costs one failure.
 * Unknown body fields are refused, not silently stripped.
 */
export const ajvOptions: { readonly customOptions: Options } = {
  customOptions: {
    removeAdditional: false,
    coerceTypes: 'array',
    allErrors: false,
    verbose: true,
    keywords: [...ANNOTATIONS],
  },
};

export function formatSchemaErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  return new Error(describeProblem(explain(errors as unknown as ErrorObject[]), dataVar));
}
