/** Command-line flags shared by every bench. */

/** True when the bench should run its short variant (`--quick`, or `BENCH_QUICK=1`). */
export function isQuick(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--quick') || process.env.BENCH_QUICK === '1';
}

/** `global.gc` when node runs with `--expose-gc`; benches that measure memory need it. */
export function requireGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') {
    throw new Error('This bench needs `node --expose-gc` (npm run bench passes it)');
  }
  return gc;
}
