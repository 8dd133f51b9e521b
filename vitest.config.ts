import ts from 'typescript';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// Vite's transformer (oxc) does not lower standard TC39 decorators yet, and Node 20 cannot run
// them. Files that use decorator syntax are compiled by TypeScript itself first, exactly as
// `npm run build` compiles them, so tests exercise the same emitted code users get.
const DECORATOR_LINE = /^\s*@[A-Za-z_$][\w$.]*(\(|\s*$)/m;

function typescriptDecorators(): Plugin {
  return {
    name: 'solowatch:typescript-decorators',
    enforce: 'pre',
    transform(code, id) {
      if (!/\.tsx?$/.test(id) || !DECORATOR_LINE.test(code)) return null;
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          sourceMap: true,
          inlineSources: true,
        },
      });
      return { code: out.outputText, map: out.sourceMapText ?? null };
    },
  };
}

export default defineConfig({
  plugins: [typescriptDecorators()],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
