/**
 * Mutations anywhere in a JSON tree: every node has a path, a case picks paths by number (modulo
 * how many the seed has) and drops, retypes or replaces what is there. Used for cgminer replies,
 * whose interesting parts sit two or three levels down (summary[0].SUMMARY[0]["MHS av"]).
 */
import fc from 'fast-check';
import { hostileValue, setOwn } from './hostileJson.js';

type Path = readonly (string | number)[];

export type DeepMutation =
  | { readonly op: 'drop'; readonly pick: number }
  | { readonly op: 'set'; readonly pick: number; readonly value: unknown }
  | { readonly op: 'listToObject'; readonly pick: number };

export function pathsOf(value: unknown, limit = 2_000): Path[] {
  const out: Path[] = [];
  const walk = (node: unknown, path: Path): void => {
    if (out.length >= limit) return;
    if (path.length > 0) out.push(path);
    if (Array.isArray(node)) {
      for (const [i, child] of node.entries()) walk(child, [...path, i]);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
    }
  };
  walk(value, []);
  return out;
}

function parentOf(root: unknown, path: Path): unknown {
  let node = root;
  for (const step of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

/** Applies mutations to a deep copy of `seed`. */
export function applyDeepMutations(seed: unknown, mutations: readonly DeepMutation[]): unknown {
  const root: unknown = structuredClone(seed);
  for (const m of mutations) {
    const paths = pathsOf(root);
    if (paths.length === 0) break;
    const path = paths[m.pick % paths.length] as Path;
    const parent = parentOf(root, path);
    const last = path[path.length - 1] as string | number;
    if (typeof parent !== 'object' || parent === null) continue;
    if (Array.isArray(parent) && typeof last === 'number') {
      if (m.op === 'drop') parent.splice(last, 1);
      else if (m.op === 'set') parent[last] = m.value;
      else parent[last] = Array.isArray(parent[last]) ? { ...(parent[last] as unknown[]) } : [parent[last]];
    } else {
      const record = parent as Record<string, unknown>;
      const key = String(last);
      if (m.op === 'drop') delete record[key];
      else if (m.op === 'set') setOwn(record, key, m.value);
      else {
        const current = record[key];
        setOwn(record, key, Array.isArray(current) ? { ...current } : [current]);
      }
    }
  }
  return root;
}

export function deepMutations(maxValueChars: number): fc.Arbitrary<DeepMutation[]> {
  const pick = fc.nat();
  const value = hostileValue().filter((v) => typeof v !== 'string' || v.length <= maxValueChars);
  return fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('drop' as const), pick }),
      { weight: 3, arbitrary: fc.record({ op: fc.constant('set' as const), pick, value }) },
      fc.record({ op: fc.constant('listToObject' as const), pick }),
    ),
    { minLength: 1, maxLength: 8 },
  );
}
