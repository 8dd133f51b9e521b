/**
 * cgminer's own ways of being wrong on the wire (api.c and its forks): the NUL missing or doubled,
 * `}{` between items, `,}`, bare inf/nan, a bad STATUS envelope, truncation, and Avalon estats
 * strings of Key[value] tokens that do not close.
 */
import fc from 'fast-check';

export type CgminerTextFault =
  | { readonly op: 'none' }
  | { readonly op: 'joinSections'; readonly every: number }
  | { readonly op: 'trailingComma'; readonly nth: number }
  | { readonly op: 'nonFinite'; readonly nth: number; readonly word: string }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'status'; readonly replacement: string };

export interface CgminerWire {
  readonly text: string;
  /** Whether the reply ends with cgminer's NUL. */
  readonly nul: boolean;
  /** Bytes sent after the NUL (some forks send more than strlen + 1). */
  readonly afterNul: string;
}

const BAD_STATUS = [
  '"STATUS":"E"',
  '"STATUS":[{"STATUS":"F","When":1,"Code":23,"Msg":"Invalid JSON","Description":"cgminer 4.11.1"}]',
  '"STATUS":[{"STATUS":"E","Code":45,"Msg":"Access denied to \'summary\' command"}]',
  '"STATUS":[{"STATUS":"W","Code":"x","Msg":null}]',
  '"STATUS":[]',
  '"STATUS":null',
  '"STATUS":[{"STATUS":7}]',
  '"STATUS":{"STATUS":"S"}',
  '"STATUS":"RESTART"',
  '"STATUS":[{"STATUS":"S","Code":1e999}]',
];

export function cgminerTextFault(): fc.Arbitrary<CgminerTextFault> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant({ op: 'none' as const }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('joinSections' as const),
        every: fc.integer({ min: 1, max: 3 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('trailingComma' as const), nth: fc.nat({ max: 30 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('nonFinite' as const),
        nth: fc.nat({ max: 60 }),
        word: fc.constantFrom('inf', '-inf', 'nan', 'NaN', 'Infinity', '-nan', 'INF'),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('truncate' as const),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('status' as const),
        replacement: fc.constantFrom(...BAD_STATUS),
      }),
    },
  );
}

export function applyCgminerTextFault(text: string, fault: CgminerTextFault): string {
  switch (fault.op) {
    case 'none':
      return text;
    case 'joinSections': {
      let i = 0;
      return text.replace(/\},\{/g, (m) => (i++ % fault.every === 0 ? '}{' : m));
    }
    case 'trailingComma': {
      let i = 0;
      return text.replace(/[}\]]/g, (m) => (i++ === fault.nth ? `,${m}` : m));
    }
    case 'nonFinite': {
      let i = 0;
      return text.replace(/(?<=:)-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (m) =>
        i++ === fault.nth ? fault.word : m,
      );
    }
    case 'truncate':
      return text.slice(0, Math.floor(text.length * fault.at));
    case 'status': {
      let done = false;
      return text.replace(/"STATUS":\[\{[^\]]*\}\]/g, (m) => {
        if (done) return m;
        done = true;
        return fault.replacement;
      });
    }
  }
}

export function wireEnding(): fc.Arbitrary<{ nul: boolean; afterNul: string }> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant({ nul: true, afterNul: '' }) },
    { weight: 2, arbitrary: fc.constant({ nul: false, afterNul: '' }) },
    {
      weight: 1,
      arbitrary: fc.record({
        nul: fc.constant(true),
        afterNul: fc.constantFrom('\u0000', '{"x":1}', 'garbage'),
      }),
    },
  );
}

const ESTATS_KEYS = [
  'Ver',
  'Temp',
  'TMax',
  'TAvg',
  'MTmax',
  'MTavg',
  'Fan1',
  'Fan2',
  'FanR',
  'PS',
  'GHSspd',
  'GHSmm',
  'GHSavg',
  'constructor',
  'Elapsed',
];
const ESTATS_VALUES = [
  '38',
  '87',
  '41%',
  '',
  ' ',
  'abc',
  '1e999',
  '-5',
  'NaN',
  '0 0 0 3 2792 89 324',
  '1 2 x',
  '[',
  '%',
  '2474.77',
];

/** An Avalon "MM ID0" string, well-formed or not. */
export function estatsString(): fc.Arbitrary<string> {
  const token = fc
    .tuple(
      fc.oneof(fc.constantFrom(...ESTATS_KEYS), fc.stringMatching(/^[A-Za-z]\w{0,6}$/)),
      fc.oneof(fc.constantFrom(...ESTATS_VALUES), fc.string({ maxLength: 8 })),
      fc.constantFrom(']', ']', ']', '', ']]'),
    )
    .map(([key, value, close]) => `${key}[${value}${close}`);
  return fc.array(token, { maxLength: 40 }).map((tokens) => tokens.join(' '));
}

/** Replaces every "MM ID<n>" string in a reply tree (in place). */
export function replaceEstats(root: unknown, text: string): void {
  if (Array.isArray(root)) {
    for (const child of root) replaceEstats(child, text);
  } else if (typeof root === 'object' && root !== null) {
    const record = root as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (/^MM ID\d+$/.test(key) && typeof value === 'string') record[key] = text;
      else replaceEstats(value, text);
    }
  }
}
