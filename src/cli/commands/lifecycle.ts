/** Starting and stopping the app from the command line: the banner, signals, listen errors. */
import type * as Main from '../../main.js';
import type { SolowatchHandle } from '../../main.js';
import { CliError } from '../CliError.js';
import type { CliIo } from '../io.js';
import { waitForShutdown } from '../shutdown.js';

/** Says where the dashboard is and, the one time it was generated, what the token is. */
export function announce(io: CliIo, handle: SolowatchHandle): void {
  io.stdout(`solowatch is running: open ${handle.url}/ in a browser.\n`);
  if (handle.tokenGenerated) {
    io.stdout(
      `API token (generated once, saved in ${handle.tokenPath}; needed to change things over the API):\n` +
        `  ${handle.token}\n`,
    );
  }
  io.stdout('Press Ctrl-C to stop.\n');
}

/** Closes gracefully on the first signal; a second one forces the exit. */
export async function serveUntilSignal(io: CliIo, close: () => Promise<void>): Promise<void> {
  const waiter = waitForShutdown({
    onSignal: (signal) => io.stderr(`\n${signal}: shutting down (press Ctrl-C again to force)...\n`),
    onForce: (signal) => io.stderr(`${signal} again: exiting now.\n`),
  });
  await waiter.done;
  try {
    await close();
  } finally {
    waiter.release();
  }
  io.stderr('solowatch stopped.\n');
}

export function listenError(error: unknown, port: number): CliError | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') {
    return new CliError(`port ${port} is already in use: pass --port <another> or stop what is using it`, 1, {
      cause: error,
    });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'EACCES') {
    return new CliError(`cannot listen there (${code}): check --host and --port`, 1, { cause: error });
  }
  return null;
}

/**
 * The app is loaded only by the commands that run it, so `--help` and the client commands start
 * fast and never load the database driver.
 */
export function loadMain(): Promise<typeof Main> {
  return import('../../main.js');
}
