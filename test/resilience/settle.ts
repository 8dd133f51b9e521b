/** The error a promise rejects with; fails the test when it resolves instead. */
export function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}
