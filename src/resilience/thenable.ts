/**
 * The `then` of a promise or promise-like from any library, or undefined for a plain value.
 * Reads `then` once; a getter that throws throws here, so the caller can count it as the call's
 * failure.
 */
export function thenOf(value: unknown): ((...args: unknown[]) => unknown) | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const then = (value as { then?: unknown }).then;
  return typeof then === 'function' ? (then as (...args: unknown[]) => unknown) : undefined;
}
