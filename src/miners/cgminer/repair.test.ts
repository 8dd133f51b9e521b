import { describe, expect, it } from 'vitest';
import { parseCgminerJson, repairJsonText } from './repair.js';

describe('cgminer reply repair', () => {
  it('cuts the trailing NUL without calling it a repair', () => {
    expect(parseCgminerJson('{"a":1}\u0000')).toEqual({ value: { a: 1 }, repairs: [] });
    expect(parseCgminerJson('{"a":1}\u0000garbage')).toEqual({ value: { a: 1 }, repairs: [] });
  });

  it('joins sections written as }{', () => {
    const result = parseCgminerJson('{"STATS":[{"a":1}{"b":2}],"id":1}\u0000');
    expect(result.value).toEqual({ STATS: [{ a: 1 }, { b: 2 }], id: 1 });
    expect(result.repairs).toEqual(['joined_sections']);
  });

  it('drops trailing commas before } and ]', () => {
    const result = parseCgminerJson('{"a":[1,2, ],"b":{"c":3,}, }');
    expect(result.value).toEqual({ a: [1, 2], b: { c: 3 } });
    expect(result.repairs).toEqual(['trailing_comma']);
  });

  it('reads inf, -inf and nan as null', () => {
    const result = parseCgminerJson(
      '{"Utility":inf,"T":-inf,"W":nan,"X":-nan,"Y":Infinity,"ok":true,"n":null}',
    );
    expect(result.value).toEqual({ Utility: null, T: null, W: null, X: null, Y: null, ok: true, n: null });
    expect(result.repairs).toEqual(['non_finite']);
  });

  it('never touches text inside strings', () => {
    const text = '{"URL":"stratum+tcp://inf.pool:3333","Msg":"a }{ b ,} nan \\" inf","x":nan}';
    expect(parseCgminerJson(text).value).toEqual({
      URL: 'stratum+tcp://inf.pool:3333',
      Msg: 'a }{ b ,} nan " inf',
      x: null,
    });
    expect(repairJsonText('"}{"').text).toBe('"}{"');
  });

  it('repairs several defects at once', () => {
    const result = parseCgminerJson('{"S":[{"a":inf,}{"b":2}],}\u0000');
    expect(result.value).toEqual({ S: [{ a: null }, { b: 2 }] });
    expect(result.repairs).toEqual(
      expect.arrayContaining(['joined_sections', 'trailing_comma', 'non_finite']),
    );
  });

  it("drops bmminer's comma before the first item", () => {
    const result = parseCgminerJson('{"STATS":[,{"a":1},{"b":2}],"id":1}\u0000');
    expect(result.value).toEqual({ STATS: [{ a: 1 }, { b: 2 }], id: 1 });
    expect(result.repairs).toEqual(['leading_comma']);
  });

  it("escapes btminer's raw line breaks inside strings and nowhere else", () => {
    const result = parseCgminerJson('{"Msg":"line one\nline two\r\tend",\n"b":\n2}');
    expect(result.value).toEqual({ Msg: 'line one\nline two\r\tend', b: 2 });
    expect(result.repairs).toEqual(['raw_control_character']);
  });

  it("adds btminer's missing comma between two members", () => {
    const result = parseCgminerJson('{"Power Mode":"Normal""temp0":71,"x":"a"  "y":[1]}');
    expect(result.value).toEqual({ 'Power Mode': 'Normal', temp0: 71, x: 'a', y: [1] });
    expect(result.repairs).toEqual(['missing_comma']);
  });

  it('throws the parser error when repair cannot help', () => {
    expect(() => parseCgminerJson('{"a":')).toThrow(SyntaxError);
    expect(() => parseCgminerJson('STATUS=S,When=1|')).toThrow(SyntaxError);
  });
});
