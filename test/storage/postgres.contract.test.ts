import { afterAll, describe } from 'vitest';
import { postgresBackend } from './backends.js';
import { storageContract } from './contract/index.js';

const backend = await postgresBackend();
// Said in the output so that a run on PGlite is never mistaken for one on the server.
console.info(`PostgreSQL contract suite runs on: ${backend.description}`);
afterAll(() => backend.close());

describe(`Storage contract on ${backend.description}`, () => {
  storageContract(() => backend);
});
