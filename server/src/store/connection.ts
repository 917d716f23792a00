/**
 * Opening the database: where it lives, and the pragmas that decide what survives a crash.
 *
 * Durability: "nothing acknowledged is lost" when the process dies (kill -9, a crash, the
 * OOM killer). journal_mode = WAL with synchronous = NORMAL gives exactly that: a commit
 * returns after its pages are written to the WAL file, so they are in the operating
 * system's cache and survive the death of the process; the next open replays the WAL.
 * NORMAL skips the fsync at each commit, so an OS crash or power cut can lose the last
 * commits (never corrupt the database). FULL would fsync every commit — a disk flush per
 * play frame per room (20 a second each) — to cover power loss, which the design does not
 * ask for; `synchronous: 'FULL'` is there for a deployment that wants it.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import { migrate, type Migration } from './migrations';

export const MEMORY = ':memory:';
export const DATABASE_FILE = 'backprop-live.sqlite';

export interface OpenOptions {
  synchronous?: 'NORMAL' | 'FULL';
  /** For tests of the migration machinery; the real list by default. */
  migrations?: readonly Migration[];
}

/** DATA_DIR from the environment: a folder, or ':memory:' (nothing kept); './data' by default. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.DATA_DIR?.trim();
  return value ? value : './data';
}

/**
 * Opens (creating the folder and the file on first start) and migrates the database in
 * `dataDir`, or an in-memory one for ':memory:'.
 */
export function openDatabase(dataDir: string, options: OpenOptions = {}): SqliteDatabase {
  let db: SqliteDatabase;
  if (dataDir === MEMORY) {
    db = new Database(MEMORY);
  } else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(resolve(dataDir), DATABASE_FILE));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  }
  try {
    // Off by default in SQLite, and per connection: without it ON DELETE CASCADE does nothing.
    db.pragma('foreign_keys = ON');
    // A second process (a backup, the CLI) may hold a lock for a moment.
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
