import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

// The dashboard is plain static files served by our own server at `/`: relative asset URLs (base
// './') keep it working behind a reverse proxy under a sub-path, and everything is bundled so
// that nothing is fetched from a CDN at run time.
export default defineConfig({
  root,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    assetsInlineLimit: 0,
  },
  server: {
    // `vite` in dev mode proxies the API to a running `solowatch serve`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
