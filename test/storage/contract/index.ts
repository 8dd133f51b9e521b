/**
 * The Storage contract: what every implementation must do, run by each backend's test file
 * (sqlite.contract.test.ts, postgres.contract.test.ts) against its real database.
 */
import type { Backend } from '../backends.js';
import { downsamplingContract } from './downsampling.js';
import { queueContract } from './queue.js';
import { recordsContract } from './records.js';
import { retentionContract } from './retention.js';

export function storageContract(backend: () => Backend): void {
  recordsContract(backend);
  queueContract(backend);
  retentionContract(backend);
  downsamplingContract(backend);
}
