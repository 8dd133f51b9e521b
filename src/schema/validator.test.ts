import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { checker, pathOf } from './validator.js';

const Seed = Type.Object(
  { host: Type.String({ minLength: 1 }), port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })) },
  { additionalProperties: false },
);
const Settings = Type.Object(
  {
    level: Type.Enum(['info', 'debug'], { default: 'info' }),
    every: Type.Union([Type.Integer({ minimum: 1000 }), Type.Null()], { default: null }),
    seeds: Type.Array(Seed, { default: [] }),
    secret: Type.Optional(Type.String({ minLength: 16, 'x-secret': true })),
  },
  { additionalProperties: false },
);

describe('checker', () => {
  const check = checker(Settings, { defaults: true, allErrors: true });

  it('fills defaults and types the result', () => {
    const r = check({});
    expect(r).toEqual({ ok: true, value: { level: 'info', every: null, seeds: [] } });
  });

  it('names the path of a nested bad value, what was expected and what was given', () => {
    const r = check({ seeds: [{ host: 'a' }, { host: 'b', port: 70000 }] });
    expect(r).toEqual({
      ok: false,
      problem: { path: 'seeds[1].port', problem: 'must be a whole number from 1 to 65535, got 70000' },
    });
  });

  it('tells a typo before the key it left missing', () => {
    const r = check({ seeds: [{ hots: 'a' }] });
    expect(r.ok === false && r.problem).toEqual({
      path: 'seeds[0].hots',
      problem: 'is not a known key (known: host, port)',
    });
  });

  it("tells a union's failure as the union, not as one of its branches", () => {
    const r = check({ every: 5 });
    expect(r.ok === false && r.problem).toEqual({
      path: 'every',
      problem: 'must be a whole number >= 1000, or null, got 5',
    });
  });

  it('never repeats a secret in a message', () => {
    const r = check({ secret: 'hunter2' });
    expect(r.ok === false && r.problem.problem).toBe(
      'must be a string of at least 16 characters, got a secret of 7 characters',
    );
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('coerces the text of a flag or variable to the number the schema wants, and names no wrapper', () => {
    const port = checker(Type.Integer({ minimum: 0, maximum: 65535 }), { coerce: true });
    expect(port('8080')).toEqual({ ok: true, value: 8080 });
    expect(port('eighty')).toEqual({
      ok: false,
      problem: { path: '', problem: 'must be a whole number from 0 to 65535, got "eighty"' },
    });
  });
});

describe('pathOf', () => {
  it('reads a JSON pointer as keys and indices', () => {
    expect(pathOf('')).toBe('');
    expect(pathOf('/miners/0/port')).toBe('miners[0].port');
    expect(pathOf('/a~1b/c~0d')).toBe('a/b.c~d');
  });
});
