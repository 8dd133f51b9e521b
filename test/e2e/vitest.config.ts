import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.js';

// Browser tests: one file at a time (one chromium), generous timeouts for a shared 2-core box.
// The root config's plugins come along so the app under test compiles exactly as in unit tests.
export default defineConfig({
  plugins: root.plugins ?? [],
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
