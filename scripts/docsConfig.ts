/** `npm run docs:config`: writes the config reference (docs/CONFIG.md, README) from the schema. */
import { readFileSync, writeFileSync } from 'node:fs';
import { configReference, readmeTable, withGenerated } from '../src/config/reference.js';

const root = new URL('../', import.meta.url);
writeFileSync(new URL('docs/CONFIG.md', root), configReference());
const readme = new URL('README.md', root);
writeFileSync(readme, withGenerated(readFileSync(readme, 'utf8'), readmeTable()));
console.log('wrote docs/CONFIG.md and the settings table in README.md');
