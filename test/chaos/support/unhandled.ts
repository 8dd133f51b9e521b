/** Counts unhandled rejections and uncaught exceptions while a suite runs. */
export interface UnhandledTracker {
  count(): number;
  readonly seen: unknown[];
  stop(): void;
}

export function trackUnhandled(): UnhandledTracker {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    seen.push(reason);
  };
  const onException = (error: unknown): void => {
    seen.push(error);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    seen,
    count: () => seen.length,
    stop: () => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}
