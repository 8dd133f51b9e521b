/** `solowatch tag` and `add --tag` against the real server routes (over a fake monitor). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTags } from '../../src/cli/commands/tag.js';
import { type Harness, harness, TOKEN } from '../server/harness.js';
import { cli } from './harness.js';

let h: Harness;
let url: string;
const env = { SOLOWATCH_TOKEN: TOKEN };

beforeAll(async () => {
  h = await harness();
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await h.app.close();
});

const tagsOf = (id: string) => h.monitor.getMiner(id)?.tags;

describe('solowatch tag', () => {
  it('adds tags (spaces or commas), keeps the ones the miner had, and prints the set', async () => {
    const r = await cli(['tag', 'm1', 'garage', 'rack:1,solar', '--url', url], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(tagsOf('m1')).toEqual(['garage', 'rack:1', 'solar']);
    expect(r.stdout).toMatch(/\(m1\) has tags garage, rack:1, solar\.\n$/);

    const again = await cli(['tag', 'm1', 'solar', 'attic', '--url', url], { env });
    expect(again.code).toBe(0);
    expect(tagsOf('m1')).toEqual(['garage', 'rack:1', 'solar', 'attic']);
  });

  it('--remove takes tags off, --clear all of them; without tags it only prints', async () => {
    await cli(['tag', 'm1', 'a', 'b', 'c', '--url', url], { env });
    const removed = await cli(['tag', 'm1', '--remove', 'b', '--url', url], { env });
    expect(removed.code).toBe(0);
    expect(tagsOf('m1')).not.toContain('b');
    expect(tagsOf('m1')).toContain('a');
    const calls = h.monitor.calls.length;
    const shown = await cli(['tag', 'm1', '--url', url, '--json'], { env });
    expect(JSON.parse(shown.stdout).tags).toEqual(tagsOf('m1'));
    expect(h.monitor.calls.slice(calls).some((c) => c.method === 'updateMiner')).toBe(false);
    const cleared = await cli(['tag', 'm1', '--clear', '--url', url], { env });
    expect(cleared.stdout).toMatch(/has no tags\.\n$/);
    expect(tagsOf('m1')).toEqual([]);
  });

  it('a bad tag is refused by the server naming it; bad flag combinations exit 2', async () => {
    const r = await cli(['tag', 'm1', 'has/slash', '--url', url], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/body\.tags\[0\] must be a tag of 1 to 32 letters, digits/);
    expect((await cli(['tag', 'm1', '--remove', '--url', url], { env })).code).toBe(2);
    const both = await cli(['tag', 'm1', 'x', '--clear', '--url', url], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--clear takes every tag off');
    const missing = await cli(['tag', 'nope', 'x', '--url', url], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('MINER_NOT_FOUND');
  });

  it('add --tag sends the tags with the miner, once each', async () => {
    const r = await cli(['add', '10.0.0.90', '--tag', 'garage,solar', '-t', 'garage', '--url', url], { env });
    expect(r.code).toBe(0);
    expect(h.monitor.calls.findLast((c) => c.method === 'addMiner')?.args[0]).toMatchObject({
      host: '10.0.0.90',
      tags: ['garage', 'solar'],
    });
  });

  it('changedTags keeps the order and adds each tag once', () => {
    expect(changedTags(['a', 'b'], ['b', 'c'], false)).toEqual(['a', 'b', 'c']);
    expect(changedTags(['a', 'b', 'c'], ['b', 'x'], true)).toEqual(['a', 'c']);
  });
});
