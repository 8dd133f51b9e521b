/**
 * The service's own logs, through pino (fastify's logger, so request errors land in the same
 * stream): one JSON object a line when the logs go to a file or a pipe, a readable line when a
 * person watches them in a terminal. The level comes from the config (`logLevel`).
 *
 * What the CLI tells its user (tables, errors, the token) is output, not logging, and stays on
 * the CLI's own stdout/stderr.
 */
import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from '../config/Config.js';

/** How the app reports what happens: `log('warn', 'breaker db: closed -> open')`. */
export type LogFn = (level: Exclude<LogLevel, 'silent'>, message: string) => void;

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Receives each finished line, newline included. */
  readonly write: (line: string) => void;
  /** A readable line instead of JSON: for a terminal. */
  readonly pretty: boolean;
}

/** Keys every pino line carries; the readable line shows them in its own way or not at all. */
const SHOWN_APART = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** `2026-12-06T08:00:00.000Z warn  breaker db: closed -> open  minerId="m1"` from pino's JSON. */
export function readableLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const extra = Object.entries(entry)
    .filter(([key]) => !SHOWN_APART.has(key))
    .map(([key, value]) =>
      key === 'err' && typeof value === 'object' && value !== null && 'stack' in value
        ? `\n${String((value as { stack: unknown }).stack)}`
        : `  ${key}=${JSON.stringify(value)}`,
    )
    .join('');
  return `${String(entry.time)} ${String(entry.level).padEnd(5)} ${String(entry.msg ?? '')}${extra}\n`;
}

export function createLogger(options: LoggerOptions): Logger {
  const { write, pretty } = options;
  // A plain object with write(): pino calls it in line, on this thread; no worker, no transport.
  const destination: DestinationStream = { write: pretty ? (line) => write(readableLine(line)) : write };
  return pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"warn", not 40: the lines are read by people and by log shippers alike.
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** The app's `log(level, message)` over a pino logger. */
export function logFnOf(logger: Logger): LogFn {
  return (level, message) => logger[level](message);
}

/** Where `serve` and `demo` log: stderr, readable on a terminal, JSON lines otherwise. */
export function cliLogger(
  io: { readonly stderr: (text: string) => void; readonly interactive: boolean },
  level: LogLevel,
): Logger {
  return createLogger({ level, write: io.stderr, pretty: io.interactive });
}
