/**
 * One way to check a value against a schema: ajv (the validator fastify uses), with every failure
 * explained as the path of the bad value and what was expected, e.g.
 * `miners[0].port` "must be a whole number from 1 to 65535, got 70000".
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { Static, TSchema } from 'typebox';
import { ANNOTATIONS, expectedOf, type SchemaLike, shown } from './expected.js';

export interface Problem {
  /** Where the bad value is, e.g. `miners[0].port`; '' for the value itself. */
  readonly path: string;
  /** Follows the path: `must be ..., got ...` or `is not a known key (...)`. */
  readonly problem: string;
}

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: Problem };

export interface CheckerOptions {
  /**
   * Look at every failure to pick the clearest. Only for input from the operator (config): a
   * hostile request could make every failure cost. @default false
   */
  readonly allErrors?: boolean;
  /** Fill in `default`s (on the value given: pass a copy when that matters). @default false */
  readonly defaults?: boolean;
  /** Turn strings into the numbers and booleans the schema wants (flags, environment). @default false */
  readonly coerce?: boolean;
}

function ajvFor(options: CheckerOptions): Ajv {
  return new Ajv({
    allErrors: options.allErrors === true,
    // Error objects carry the failing value and schema, which the messages read.
    verbose: true,
    useDefaults: options.defaults === true,
    coerceTypes: options.coerce === true,
    keywords: [...ANNOTATIONS],
  });
}

function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number' || /^\d+$/.test(key)) return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** `/miners/0/port` -> `miners[0].port` */
export function pathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<string>((path, part) => joinPath(path, part), '');
}

function properties(schema: unknown): Readonly<Record<string, unknown>> {
  const p = (schema as SchemaLike | undefined)?.properties;
  return typeof p === 'object' && p !== null ? (p as Record<string, unknown>) : {};
}

/** Errors inside a union's branches: the union's own error (listed after them) says it better. */
const inBranch = (error: ErrorObject) => /\/(?:anyOf|oneOf)\//.test(error.schemaPath);

/**
 * The one failure worth telling. An unknown key comes first: a typo (`hots:`) also leaves the
 * key it meant missing, and the typo is what to fix.
 */
export function explain(errors: readonly ErrorObject[]): Problem {
  const candidates = errors.filter((e) => !inBranch(e));
  const error = candidates.find((e) => e.keyword === 'additionalProperties') ?? candidates[0] ?? errors[0];
  if (error === undefined) return { path: '', problem: 'is invalid' };
  const path = pathOf(error.instancePath);
  const params = error.params as Readonly<Record<string, unknown>>;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        path: joinPath(path, String(params.additionalProperty)),
        problem: `is not a known key (known: ${Object.keys(properties(error.parentSchema)).join(', ')})`,
      };
    case 'required': {
      const missing = String(params.missingProperty);
      return {
        path: joinPath(path, missing),
        problem: `is missing: expected ${expectedOf(properties(error.parentSchema)[missing])}`,
      };
    }
    default:
      return {
        path,
        problem: `must be ${expectedOf(error.parentSchema)}, got ${shown(error.data, error.parentSchema)}`,
      };
  }
}

/** Compiles `schema` once; the returned function checks a value and says what is wrong with it. */
export function checker<S extends TSchema>(
  schema: S,
  options: CheckerOptions = {},
): (value: unknown) => Checked<Static<S>> {
  if (options.coerce === true) {
    // ajv coerces a value in place, through its parent; a bare "8080" has none, so give it one.
    const validate = ajvFor(options).compile({ type: 'object', properties: { value: schema } });
    return (value) => {
      const holder = { value };
      if (validate(holder)) return { ok: true, value: holder.value as Static<S> };
      const { path, problem } = explain(validate.errors ?? []);
      return { ok: false, problem: { path: path.replace(/^value(?:\.|(?=\[)|$)/, ''), problem } };
    };
  }
  const validate = ajvFor(options).compile(schema);
  return (value) =>
    validate(value)
      ? { ok: true, value: value as Static<S> }
      : { ok: false, problem: explain(validate.errors ?? []) };
}

/**
 * A problem as one sentence, under `root` when given: `body.port must be ..., got 70000`. The API,
 * the monitor and the CLI all word a bad value this way.
 */
export function describeProblem({ path, problem }: Problem, root = ''): string {
  const where =
    root === '' ? path : path === '' ? root : path.startsWith('[') ? `${root}${path}` : `${root}.${path}`;
  return where === '' ? problem : `${where} ${problem}`;
}
