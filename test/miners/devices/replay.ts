/**
 * Replays a capture from test/fixtures/devices/<family>/<capture>/ as a device on 127.0.0.1:
 * each `<command>.txt` is sent back, byte for byte and NUL-terminated as cgminer does, to a
 * request for that command. A command the capture lacks gets the family's own "unknown command"
 * answer; a joined request (`a+b`) is refused as an unknown command, so the client asks one
 * command at a time and every reply the driver reads is the captured text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tcpServer } from '../helpers.js';

export const DEVICES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/devices');

export interface Capture {
  readonly name: string;
  readonly source: Record<string, unknown>;
  /** Command -> the exact text the device sent. */
  readonly replies: ReadonlyMap<string, string>;
}

export function loadCapture(family: string, capture: string): Capture {
  const dir = join(DEVICES_DIR, family, capture);
  const replies = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.txt') && file !== 'capture.txt')
      replies.set(file.slice(0, -4), readFileSync(join(dir, file), 'utf8'));
  }
  const source = JSON.parse(readFileSync(join(dir, 'source.json'), 'utf8')) as Record<string, unknown>;
  return { name: `${family}/${capture}`, source, replies };
}

/** Every capture folder, as [family, capture]. */
export function listCaptures(): [string, string][] {
  return readdirSync(DEVICES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((family) =>
      readdirSync(join(DEVICES_DIR, family.name), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry): [string, string] => [family.name, entry.name]),
    );
}

/** How the family answers a command it does not have. */
export type Dialect = 'cgminer' | 'btminer';

function unknownCommand(dialect: Dialect): string {
  return dialect === 'btminer'
    ? '{"STATUS":"E","When":1700000000,"Code":14,"Msg":"invalid cmd","Description":""}'
    : '{"STATUS":[{"STATUS":"E","When":1700000000,"Code":14,"Msg":"Invalid command","Description":"cgminer"}],"id":1}';
}

export interface ReplayDevice {
  readonly port: number;
  /** Commands asked, in order. */
  readonly asked: string[];
  close(): Promise<void>;
}

export async function replayDevice(capture: Capture, dialect: Dialect = 'cgminer'): Promise<ReplayDevice> {
  const asked: string[] = [];
  const local = await tcpServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      if (!buffer.trimStart().startsWith('{')) {
        // Not a JSON request (an HTTP probe): a cgminer reads it as an unknown command.
        socket.end(`${unknownCommand(dialect)}\u0000`);
        return;
      }
      let request: { command?: unknown; cmd?: unknown };
      try {
        request = JSON.parse(buffer) as { command?: unknown; cmd?: unknown };
      } catch {
        return;
      }
      const command = String(request.command ?? request.cmd ?? '');
      asked.push(command);
      const text = capture.replies.get(command) ?? unknownCommand(dialect);
      socket.end(`${text}\u0000`);
    });
  });
  return { port: local.port, asked, close: local.close };
}
