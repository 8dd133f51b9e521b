import { describe, expect, it } from 'vitest';
import { MinerAccessDeniedError, MinerResponseError } from '../errors.js';
import { checkStatus, readStatus } from './envelope.js';

const reply = (status: string, code = 11, msg = 'Summary') => ({
  STATUS: [{ STATUS: status, When: 1, Code: code, Msg: msg, Description: 'cgminer 4.11.1' }],
  id: 1,
});

describe('cgminer STATUS envelope', () => {
  it('accepts S and I, and turns W into a warning', () => {
    expect(checkStatus(readStatus(reply('S'), 'x'), 'x')).toBeNull();
    expect(checkStatus(readStatus(reply('I'), 'x'), 'x')).toBeNull();
    expect(checkStatus(readStatus(reply('W', 121, "ASC 0 doesn't support set"), 'x'), 'x')).toMatch(
      /warning 121/,
    );
  });

  it('throws E and F as non-retryable response errors with code and message', () => {
    const error = (() => {
      try {
        checkStatus(readStatus(reply('E', 14, 'Invalid command'), 'cgminer h:1 foo'), 'cgminer h:1 foo');
      } catch (caught) {
        return caught;
      }
    })() as MinerResponseError;
    expect(error).toBeInstanceOf(MinerResponseError);
    expect(error.statusCode).toBe(14);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('cgminer h:1 foo');
    expect(error.message).toContain('Invalid command');
    expect(() => checkStatus(readStatus(reply('F', 1, 'bug'), 'x'), 'x')).toThrow(MinerResponseError);
  });

  it('throws code 45 as access denied', () => {
    expect(() =>
      checkStatus(readStatus(reply('E', 45, "Access denied to 'restart' command"), 'x'), 'x'),
    ).toThrow(MinerAccessDeniedError);
  });

  it('reads the whole-word statuses of restart and quit', () => {
    expect(readStatus({ STATUS: 'RESTART', id: 1 }, 'x').status).toBe('RESTART');
  });

  it('refuses answers without an envelope', () => {
    expect(() => readStatus({ hello: 1 }, 'x')).toThrow(/no STATUS/);
    expect(() => readStatus([1], 'x')).toThrow(/not a JSON object/);
  });
});
