/**
 * Device strings (hostnames, pool users, firmware, names) reach the page only as text. Preact
 * renders JSX children with textContent; the one way around that is raw-HTML sinks, which must
 * never appear in the dashboard's source.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const SINKS =
  /dangerouslySetInnerHTML|\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx|html)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('dashboard source', () => {
  it('has sources to check', () => {
    expect(sources(ROOT).length).toBeGreaterThan(10);
  });
  it('uses no raw-HTML sink', () => {
    const offenders = sources(ROOT).filter((file) => SINKS.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
