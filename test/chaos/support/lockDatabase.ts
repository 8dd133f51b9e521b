/**
 * Run as a separate process: `tsx lockDatabase.ts <db path> <hold ms>`. Takes SQLite's write lock
 * on the file (BEGIN IMMEDIATE), prints `locked`, holds it, then rolls back and exits: another
 * process "locking the database" as a backup tool or a curious sqlite3 shell would.
 */
import Database from 'better-sqlite3';

const [path, holdText] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: lockDatabase.ts <db path> <hold ms>');
const holdMs = Number(holdText ?? '5000');
const db = new Database(path, { timeout: 10_000 });
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');
const release = (): void => {
  db.exec('ROLLBACK');
  db.close();
  process.stdout.write('released\n');
  process.exit(0);
};
setTimeout(release, holdMs);
process.on('SIGTERM', release);
