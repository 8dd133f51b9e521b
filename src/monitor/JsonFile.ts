/**
 * One JSON document kept in the data directory (saved profiles, schedules made over the API).
 * Every save is written to a temporary file and renamed over the old one, so a crash leaves the
 * old document or the new one, never half of one; saves run one after the other, each with the
 * state its caller handed over. Mode 0600: a profile may hold a pool password. A save that fails
 * rejects naming the file; the stores then undo the change in memory, so what they serve is what
 * the file holds and a restart brings back nothing the caller was told had failed.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';

export class JsonFile {
  readonly path: string;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  /** The parsed document; null when the file does not exist yet; an error naming the file if it is not JSON. */
  async read(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error(`${this.path} is not valid JSON: ${(error as Error).message}`);
    }
  }

  save(value: unknown): Promise<void> {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    const write = async () => {
      const temporary = `${this.path}.${process.pid}.tmp`;
      try {
        await writeFile(temporary, text, { mode: 0o600 });
        await rename(temporary, this.path);
      } catch (error) {
        throw new Error(`could not save ${this.path}: ${(error as Error).message}`, { cause: error });
      }
    };
    this.#writing = this.#writing.then(write, write);
    return this.#writing;
  }
}
