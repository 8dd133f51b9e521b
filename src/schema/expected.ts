/**
 * What a schema expects, in words: "a whole number from 0 to 65535". Error messages and the
 * generated config reference both read it, so the two always say the same thing.
 */

/** A JSON Schema as TypeBox builds it; only the keywords described here are read. */
export interface SchemaLike {
  readonly [keyword: string]: unknown;
}

/** Annotation keywords the project adds to its schemas; validators must know them. */
export const ANNOTATIONS = ['x-expected', 'x-env', 'x-flag', 'x-secret'] as const;

const isSchema = (value: unknown): value is SchemaLike =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const num = (value: unknown): string => (typeof value === 'number' ? String(value) : '?');

function range(schema: SchemaLike): string {
  const low =
    schema.minimum !== undefined
      ? { op: '>=', v: num(schema.minimum) }
      : schema.exclusiveMinimum !== undefined
        ? { op: '>', v: num(schema.exclusiveMinimum) }
        : null;
  const high =
    schema.maximum !== undefined
      ? { op: '<=', v: num(schema.maximum) }
      : schema.exclusiveMaximum !== undefined
        ? { op: '<', v: num(schema.exclusiveMaximum) }
        : null;
  if (low?.op === '>=' && high?.op === '<=') return ` from ${low.v} to ${high.v}`;
  return [low, high]
    .filter((b) => b !== null)
    .map((b) => ` ${b.op} ${b.v}`)
    .join(' and');
}

function text(schema: SchemaLike): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : null;
  if (min >= 2)
    return max === null
      ? `a string of at least ${min} characters`
      : `a string of ${min} to ${max} characters`;
  const base = min === 1 ? 'a non-empty string' : 'a string';
  return max === null ? base : `${base} of at most ${max} characters`;
}

function object(schema: SchemaLike): string {
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const properties = isSchema(schema.properties) ? schema.properties : {};
  // A key with a default is never missing, so it is not worth naming as needed.
  const needed = required.filter((k) => !(isSchema(properties[k]) && 'default' in properties[k]));
  return needed.length === 0 ? 'an object' : `an object with ${needed.join(', ')}`;
}

const list = (values: readonly unknown[]): string => values.map((v) => String(v)).join(', ');

/** The value a schema accepts, as a phrase that follows "must be". */
export function expectedOf(schema: unknown): string {
  if (!isSchema(schema)) return 'a valid value';
  if (typeof schema['x-expected'] === 'string') return schema['x-expected'];
  if (Array.isArray(schema.enum)) return `one of ${list(schema.enum)}`;
  if ('const' in schema) return JSON.stringify(schema.const);
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) {
    const consts = union.filter((s) => isSchema(s) && 'const' in s).map((s) => (s as SchemaLike).const);
    if (consts.length === union.length) return `one of ${list(consts)}`;
    const nulls = union.filter((s) => isSchema(s) && s.type === 'null');
    const rest = union.filter((s) => !nulls.includes(s)).map(expectedOf);
    return `${rest.join(' or ')}${nulls.length > 0 ? ', or null' : ''}`;
  }
  switch (schema.type) {
    case 'integer':
      return `a whole number${range(schema)}`;
    case 'number':
      return `a number${range(schema)}`;
    case 'string':
      return text(schema);
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array':
      return isSchema(schema.items) ? `a list, each ${expectedOf(schema.items)}` : 'a list';
    case 'object':
      return object(schema);
    default:
      return 'a valid value';
  }
}

/** A value as an error message shows it: JSON, cut short; a secret (`x-secret`) only by its size. */
export function shown(value: unknown, schema?: unknown): string {
  if (value === undefined) return 'nothing';
  if (isSchema(schema) && schema['x-secret'] === true) {
    return typeof value === 'string' ? `a secret of ${value.length} characters` : 'a hidden value';
  }
  // JSON would print NaN and Infinity as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
