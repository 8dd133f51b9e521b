/** A minimal line logger for the app's events, writing to stderr. */
import type { LogLevel } from '../../config/Config.js';
import type { CliIo } from '../io.js';

export type LogFn = (level: Exclude<LogLevel, 'silent'>, message: string) => void;

const RANK: Readonly<Record<LogLevel, number>> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

export function stderrLogger(io: CliIo, threshold: LogLevel): LogFn {
  return (level, message) => {
    if (RANK[level] > RANK[threshold]) return;
    io.stderr(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
  };
}
