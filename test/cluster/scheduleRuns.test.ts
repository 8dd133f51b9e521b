/** Schedule runs in a cluster: two instances on one database, each run goes to exactly one. */
import { afterEach, describe, expect, it } from 'vitest';
import { ScheduleRunClaims } from '../../src/monitor/cluster/ScheduleRunClaims.js';
import type { PostgresStorage } from '../../src/storage/postgres/index.js';
import type { Storage } from '../../src/storage/Storage.js';
import { postgresBackend } from '../storage/backends.js';

const opened: Storage[] = [];
let remove: (() => Promise<void>) | null = null;
afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.close();
  await remove?.();
  remove = null;
});

describe('ScheduleRunClaims', () => {
  it('gives each run of a schedule to one instance, whichever asks first, even asking at once', async () => {
    const backend = await postgresBackend();
    const fresh = await backend.fresh();
    remove = fresh.remove;
    const [a, b] = [fresh.open().storage, fresh.open().storage] as PostgresStorage[];
    opened.push(a!, b!);
    await Promise.all([a!.initialize(), b!.initialize()]);
    const runs = Array.from({ length: 20 }, (_, i) => Date.UTC(2026, 11, 6, 22) + i * 86_400_000);
    const clock = { now: () => runs[0]! };
    const claimsA = new ScheduleRunClaims(a!.client, 'a', clock);
    const claimsB = new ScheduleRunClaims(b!.client, 'b', clock);

    const answers = await Promise.all(
      runs.map(async (at) => Promise.all([claimsA.claim('night', at), claimsB.claim('night', at)])),
    );
    for (const pair of answers) expect(pair.filter(Boolean)).toHaveLength(1);
    // Another schedule at the same minute is a run of its own; asking again wins nothing.
    expect(await claimsB.claim('morning', runs[0]!)).toBe(true);
    expect(await claimsA.claim('morning', runs[0]!)).toBe(false);
    expect(await claimsB.claim('morning', runs[0]!)).toBe(false);
    // A claim of a run weeks ahead keeps the rows of runs not a week older than now: the first
    // night's run, already A's or B's, still cannot be won again.
    expect(await claimsA.claim('night', runs[0]! + 30 * 86_400_000)).toBe(true);
    expect(await claimsA.claim('night', runs[0]!)).toBe(false);
    expect(await claimsB.claim('night', runs[0]!)).toBe(false);
  });
});
