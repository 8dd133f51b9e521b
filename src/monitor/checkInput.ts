/**
 * The monitor's own callers (the API, the config file's miners, the CLI demo, library users) are
 * checked against the same schema the API's routes use: src/schema/minerInput.ts. A refusal is
 * INVALID_INPUT naming the field, in the words the API and the config file use.
 */
import type { TSchema } from 'typebox';
import { AddMinerInput, UpdateMinerInput } from '../schema/minerInput.js';
import { type Checked, checker } from '../schema/validator.js';
import { MonitorError } from './errors.js';

function orThrow<T>(checked: Checked<T>): T {
  if (checked.ok) return checked.value;
  const { path, problem } = checked.problem;
  throw new MonitorError('INVALID_INPUT', `${path === '' ? 'the input' : `\`${path}\``} ${problem}`);
}

function checking<S extends TSchema>(schema: S) {
  const check = checker(schema);
  return (value: unknown) => orThrow(check(value));
}

export const checkAddInput = checking(AddMinerInput);
export const checkUpdateInput = checking(UpdateMinerInput);
