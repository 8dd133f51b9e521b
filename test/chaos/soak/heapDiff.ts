/**
 * What grew between two V8 heap snapshots (`.heapsnapshot`, as `v8.writeHeapSnapshot` or the
 * soak's `--snapshot-at` writes them): live objects counted by kind and constructor name in each,
 * and the groups whose count or bytes rose most, first to last.
 *
 *   node --import tsx test/chaos/soak/heapDiff.ts early.heapsnapshot late.heapsnapshot [--top N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: unknown[] } };
  readonly nodes: number[];
  readonly strings: string[];
}

export interface Group {
  count: number;
  bytes: number;
}

/** Live objects of one snapshot by `kind:name` (strings by kind only: their text is the name). */
export function countByConstructor(snapshot: Snapshot): Map<string, Group> {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0] as string[];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, Group>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] as number] ?? '?';
    const named = !['string', 'concatenated string', 'sliced string', 'number'].includes(type);
    const name = named ? (snapshot.strings[snapshot.nodes[i + nameAt] as number] ?? '').slice(0, 60) : '';
    const key = `${type}:${name}`;
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += snapshot.nodes[i + sizeAt] as number;
    groups.set(key, group);
  }
  return groups;
}

export interface Growth {
  readonly key: string;
  readonly before: Group;
  readonly after: Group;
}

export function growth(before: Map<string, Group>, after: Map<string, Group>): Growth[] {
  const none = { count: 0, bytes: 0 };
  return [...new Set([...before.keys(), ...after.keys()])].map((key) => ({
    key,
    before: before.get(key) ?? none,
    after: after.get(key) ?? none,
  }));
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  const [first, last] = positionals;
  if (first === undefined || last === undefined) {
    process.stderr.write('usage: heapDiff.ts <early.heapsnapshot> <late.heapsnapshot> [--top N]\n');
    process.exit(2);
  }
  const top = Number(values.top);
  const load = (file: string) => countByConstructor(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
  const rows = growth(load(first), load(last));
  const total = (pick: (g: Growth) => Group) =>
    rows.reduce((sum, r) => ({ count: sum.count + pick(r).count, bytes: sum.bytes + pick(r).bytes }), {
      count: 0,
      bytes: 0,
    });
  const b = total((r) => r.before);
  const a = total((r) => r.after);
  process.stdout.write(
    `total: ${b.count} -> ${a.count} objects, ${(b.bytes / 1e6).toFixed(2)} -> ${(a.bytes / 1e6).toFixed(2)} MB\n`,
  );
  const table = (title: string, by: (r: Growth) => number) => {
    process.stdout.write(
      `\n${title}\n| kind:name | count before | after | bytes before | after |\n|---|---|---|---|---|\n`,
    );
    for (const r of [...rows].sort((x, y) => by(y) - by(x)).slice(0, top))
      process.stdout.write(
        `| ${r.key} | ${r.before.count} | ${r.after.count} | ${r.before.bytes} | ${r.after.bytes} |\n`,
      );
  };
  table('rose most in count', (r) => r.after.count - r.before.count);
  table('rose most in bytes', (r) => r.after.bytes - r.before.bytes);
}

if (process.argv[1]?.endsWith('heapDiff.ts')) main();
