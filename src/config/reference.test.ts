import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BEGIN_MARKER, configReference, END_MARKER, readmeTable, withGenerated } from './reference.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const FIX = 'the committed reference differs from the schema: run `npm run docs:config`';

describe('the config reference', () => {
  it('docs/CONFIG.md is what the schema renders', () => {
    expect(read('docs/CONFIG.md'), FIX).toBe(configReference());
  });

  it("the README's settings table is what the schema renders", () => {
    const readme = read('README.md');
    expect(readme, FIX).toBe(withGenerated(readme, readmeTable()));
  });

  it('names every key of the file, with its default', () => {
    const text = configReference();
    for (const row of ['`host`', '`"127.0.0.1"`', '`miners[].host`', '`SOLOWATCH_TOKEN`']) {
      expect(text).toContain(row);
    }
  });

  it('replaces only what lies between the markers', () => {
    const text = `before\n${BEGIN_MARKER}\nold\n${END_MARKER}\nafter\n`;
    expect(withGenerated(text, 'new')).toBe('before\nnew\nafter\n');
    expect(() => withGenerated('no markers', 'new')).toThrow(/markers/);
  });
});
