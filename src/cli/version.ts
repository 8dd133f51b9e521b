import { readFileSync } from 'node:fs';

let cached: string | null = null;

/** The package version; `src/` and `dist/` both sit one level below package.json. */
export function packageVersion(): string {
  if (cached === null) {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    cached = String((JSON.parse(text) as { version?: unknown }).version ?? '0.0.0');
  }
  return cached;
}
