/** Turns an Ajv failure into a message that names the field, e.g. `body.port must be <= 65535`. */
import type { FastifySchemaValidationError } from 'fastify';

function fieldPath(dataVar: string, instancePath: string): string {
  const rest = instancePath
    .split('/')
    .filter((part) => part !== '')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  return rest === '' ? dataVar : `${dataVar}.${rest}`;
}

function describe(error: FastifySchemaValidationError, dataVar: string): string {
  const path = fieldPath(dataVar, error.instancePath);
  const params = error.params as Readonly<Record<string, unknown>>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${path}: unknown field '${String(params.additionalProperty)}'`;
    case 'required':
      return `${path}.${String(params.missingProperty)} is required`;
    case 'minProperties':
      return `${path} must name at least one field to change`;
    case 'enum':
      return `${path} must be one of ${JSON.stringify(params.allowedValues)}`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}

export function formatSchemaErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  return new Error(errors.map((e) => describe(e, dataVar)).join('; ') || `${dataVar} is invalid`);
}
