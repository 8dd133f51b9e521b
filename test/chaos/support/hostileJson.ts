/**
 * fast-check arbitraries for answers a broken, old, or hostile device could send: values of the
 * wrong type, numbers as strings, NaN-ish words, huge and tiny numbers, nested garbage, keys that
 * are JavaScript's own (`__proto__`), and text that is not JSON at all.
 */
import fc from 'fast-check';

/** Keys that are Object.prototype's own, or its accessor (`__proto__`, an own key after JSON.parse). */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const NUMBER_WORDS = [
  'NaN',
  'nan',
  'inf',
  '-inf',
  'Infinity',
  '-Infinity',
  '1e400',
  '-1e400',
  '',
  ' ',
  '12.5',
  ' 7 ',
  '0x10',
  '1,000',
  '2.56 G',
  '9.99Z',
  '-5M',
  '1e3k',
  '\u0000',
  '<img src=x onerror=alert(1)>',
  'null',
  'true',
] as const;

const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_VALUE,
  5e-324,
  2 ** 64,
  -(2 ** 63),
  0.1 + 0.2,
] as const;

/** A value to put where the device should have written something sensible. */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 3, arbitrary: fc.integer() },
    { weight: 3, arbitrary: fc.double() },
    { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
    { weight: 5, arbitrary: fc.constantFrom(...NUMBER_WORDS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    {
      weight: 2,
      arbitrary: fc.array(fc.oneof(fc.double(), fc.constant(null), fc.string({ maxLength: 4 })), {
        maxLength: 12,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.dictionary(
        fc.constantFrom(...PROTOTYPE_KEYS, 'message', 'count', 'a'),
        fc.jsonValue({ maxDepth: 2 }),
        { maxKeys: 4 },
      ),
    },
    // Sizes that stress the reader without making every case slow.
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'x'.repeat(n)) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1_000, max: 50_000 }).map((n) => new Array<number>(n).fill(42)),
    },
  );
}

export type ObjectMutation =
  | { readonly op: 'drop'; readonly key: string }
  | { readonly op: 'set'; readonly key: string; readonly value: unknown };

/** Sets an own property even for `__proto__`, as JSON.parse would. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function applyObjectMutations(
  base: Record<string, unknown>,
  mutations: readonly ObjectMutation[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) setOwn(out, key, value);
  for (const m of mutations) {
    if (m.op === 'drop') delete out[m.key];
    else setOwn(out, m.key, m.value);
  }
  return out;
}

export function objectMutations(keys: readonly string[]): fc.Arbitrary<ObjectMutation[]> {
  const key = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...keys) },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const mutation: fc.Arbitrary<ObjectMutation> = fc.oneof(
    fc.record({ op: fc.constant('drop' as const), key }),
    fc.record({ op: fc.constant('set' as const), key, value: hostileValue() }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 12 });
}

export type TextMutation =
  | { readonly op: 'none' }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'numberWord'; readonly nth: number; readonly word: string }
  | { readonly op: 'wrap'; readonly before: string; readonly after: string };

const INSERTS = [
  '}',
  '{',
  ']',
  '[',
  ',',
  ':',
  '"',
  '\\',
  '\u0000',
  '}{',
  ',}',
  'inf',
  'nan',
  '\uFEFF',
  '\u2028',
  '\uD800',
];

/** Mutations of the text itself, after serialization (most leave it unparseable). */
export function textMutation(): fc.Arbitrary<TextMutation> {
  const at = fc.double({ min: 0, max: 1, noNaN: true });
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({ op: 'none' as const }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('truncate' as const), at }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('insert' as const),
        at,
        text: fc.oneof(fc.constantFrom(...INSERTS), fc.string({ maxLength: 6 })),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('numberWord' as const),
        nth: fc.nat({ max: 40 }),
        word: fc.constantFrom(
          'NaN',
          'Infinity',
          '-Infinity',
          'inf',
          '-inf',
          'nan',
          '1e999',
          '01',
          '.5',
          '+1',
          '0x1F',
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('wrap' as const),
        before: fc.constantFrom('', '\uFEFF', ' \n', '[', 'null', ")]}'\n"),
        after: fc.constantFrom('', '\n', '}', ' garbage', '\u0000\u0000', '{}'),
      }),
    },
  );
}

export function applyTextMutation(text: string, m: TextMutation): string {
  switch (m.op) {
    case 'none':
      return text;
    case 'truncate':
      return text.slice(0, Math.floor(text.length * m.at));
    case 'insert': {
      const i = Math.floor(text.length * m.at);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'numberWord': {
      let seen = 0;
      return text.replace(/(?<=[:[,])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (match) =>
        seen++ === m.nth ? m.word : match,
      );
    }
    case 'wrap':
      return m.before + text + m.after;
  }
}

/** A whole answer that is not the expected object at all. */
export function wrongShapeBody(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '',
      'null',
      '[]',
      '{}',
      '0',
      '"ok"',
      'true',
      '<html><body>router</body></html>',
      '{"ASICModel":null}',
    ),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
    fc.string({ maxLength: 200 }),
  );
}
