import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { copyUnread, forgetShapes } from './copyUnread.js';
import { FieldReader } from './FieldReader.js';

describe('FieldReader', () => {
  it('reads the first alias present and keeps unread fields for raw', () => {
    const r = new FieldReader({ fanSpeed: 40, other: 'x', hashRate: 1 });
    expect(r.number('fanspeed', 'fanSpeed')).toBe(40);
    expect(r.number('hashRate')).toBe(1);
    expect(r.rest()).toEqual({ other: 'x' });
    expect(r.warnings).toEqual([]);
  });

  it('reports wrong types with the field name and a prefix', () => {
    const r = new FieldReader({ a: 'abc', b: [1], c: 5, d: 'x', e: {}, f: [1, 'two'] }, 'SUMMARY.');
    expect(r.number('a')).toBeNull();
    expect(r.string('b')).toBeNull();
    expect(r.string('c')).toBe('5');
    expect(r.boolean('d')).toBeNull();
    expect(r.array('e')).toBeNull();
    expect(r.numbers('f')).toEqual([1]);
    expect(r.warnings).toEqual([
      'SUMMARY.a: expected a number, got string "abc"',
      'SUMMARY.b: expected a string, got an array',
      'SUMMARY.d: expected a boolean or 0/1, got string "x"',
      'SUMMARY.e: expected an array, got an object',
      'SUMMARY.f[1]: expected a number, got string "two"',
    ]);
  });

  it('reads null as absent without a warning', () => {
    const r = new FieldReader({ a: null, b: null });
    expect(r.number('a')).toBeNull();
    expect(r.difficulty('b')).toBeNull();
    expect(r.warnings).toEqual([]);
  });

  it('refuses infinite numbers', () => {
    const r = new FieldReader({ a: Number.POSITIVE_INFINITY });
    expect(r.number('a')).toBeNull();
    expect(r.warnings).toHaveLength(1);
  });
});

describe('FieldReader on data it owns', () => {
  it('hands back the same object without the read keys, and copies otherwise', () => {
    const data = { a: 1, b: 2 };
    const owned = new FieldReader(data, '', undefined, true);
    owned.number('a');
    expect(owned.rest()).toBe(data);
    expect(data).toEqual({ b: 2 });
    const shared = { a: 1, b: 2 };
    const copying = new FieldReader(shared);
    copying.number('a');
    expect(copying.rest()).toEqual({ b: 2 });
    expect(shared).toEqual({ a: 1, b: 2 });
  });
});

describe('FieldReader.unread', () => {
  it('returns the unread keys in order in a new object, leaving the data as it was', () => {
    const data: Record<string, unknown> = JSON.parse('{"a":1,"b":"x","c":null,"__proto__":{"p":1},"d":[2]}');
    const r = new FieldReader(data);
    r.number('a');
    r.consume('c');
    const unread = r.unread();
    expect(Object.keys(unread)).toEqual(['b', '__proto__', 'd']);
    expect(Object.hasOwn(unread, '__proto__')).toBe(true);
    expect(unread.d).toBe(data.d);
    expect(unread).not.toBe(data);
    expect(Object.keys(data)).toEqual(['a', 'b', 'c', '__proto__', 'd']);
  });
});

describe('copyUnread', () => {
  afterEach(() => forgetShapes());
  const answer = (n: number): Record<string, unknown> => ({ a: n, b: `b${n}`, c: [n], d: n / 2 });

  it('copies a known shape with the new values, in order, and never hands out its template', () => {
    const used = new Set(['a']);
    const first = copyUnread(answer(1), used);
    (first as Record<string, unknown>).extra = 'changed by a caller';
    const second = copyUnread(answer(2), used);
    expect(second).toEqual({ b: 'b2', c: [2], d: 1 });
    expect(Object.keys(second)).toEqual(['b', 'c', 'd']);
    expect(second).not.toBe(first);
  });

  it('tells shapes apart by keys and order, not just by count', () => {
    const used = new Set<string>();
    copyUnread({ x: 1, y: 2 }, used);
    expect(copyUnread({ y: 3, x: 4 }, used)).toEqual({ y: 3, x: 4 });
    expect(Object.keys(copyUnread({ y: 3, x: 4 }, used))).toEqual(['y', 'x']);
    expect(copyUnread({ x: 5, z: 6 }, used)).toEqual({ x: 5, z: 6 });
    expect(copyUnread({ x: 7 }, used)).toEqual({ x: 7 });
    expect(copyUnread({ x: 8, y: 9, z: 10 }, used)).toEqual({ x: 8, y: 9, z: 10 });
  });

  it('keeps "__proto__" as data on every call and never changes the prototype', () => {
    const used = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const out = copyUnread(JSON.parse(`{"k":${i},"__proto__":{"polluted":true}}`), used);
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(Object.hasOwn(out, '__proto__')).toBe(true);
      expect((out as { polluted?: boolean }).polluted).toBeUndefined();
    }
  });

  it('gives what Object.fromEntries gives, keys in order, for any answer, first time or again', () => {
    const key = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'toString', '0', '1', '10', 'hashRate', ''),
      fc.string({ maxLength: 6 }),
    );
    const value = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.boolean());
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, value), { maxLength: 30 }),
        fc.array(key, { maxLength: 10 }),
        (pairs, read) => {
          const data: Record<string, unknown> = JSON.parse(JSON.stringify(Object.fromEntries(pairs)));
          const used = new Set(read);
          const expected = Object.fromEntries(
            Object.keys(data)
              .filter((k) => !used.has(k))
              .map((k) => [k, data[k]]),
          );
          for (let round = 0; round < 2; round++) {
            const out = copyUnread(data, used);
            expect(Object.keys(out)).toEqual(Object.keys(expected));
            expect(out).toEqual(expected);
            expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays correct when a device invents new keys on every answer', () => {
    const used = new Set<string>();
    for (let i = 0; i < 100; i++) {
      expect(copyUnread({ [`k${i}`]: i, same: true }, used)).toEqual({ [`k${i}`]: i, same: true });
    }
    expect(copyUnread({ k3: 'again', same: false }, used)).toEqual({ k3: 'again', same: false });
  });
});
