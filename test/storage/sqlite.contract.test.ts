import { afterAll, describe } from 'vitest';
import { sqliteBackend } from './backends.js';
import { storageContract } from './contract/index.js';

const backend = sqliteBackend();
afterAll(() => backend.close());

describe(`Storage contract on ${backend.description}`, () => {
  storageContract(() => backend);
});
