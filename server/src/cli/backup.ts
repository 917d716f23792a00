/**
 * `backup DEST.sqlite`: a consistent copy of the server's database while it runs, with
 * SQLite's online backup API (better-sqlite3's db.backup), never a file copy: copying the
 * file of a live WAL database can catch it half-written. The copy is then checked.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, dataDirFromEnv, MEMORY } from '../store/connection';
import { UsageError } from './errors';
import { parseOptions } from './options';

export const BACKUP_HELP = `Usage: npm run -s cli -- backup DEST.sqlite [--data-dir DIR]
       npm run backup -- DEST.sqlite

Copies the database of a server (running or not) to DEST.sqlite with SQLite's online backup
API, checks the copy (PRAGMA integrity_check) and prints one JSON object:
  {"ok":true,"file":DEST,"bytes":N,"sessions":N}

Options:
  --data-dir DIR   the server's DATA_DIR (default: $DATA_DIR, else ./data)

DEST must not exist yet. To restore: stop the server, put the copy in DATA_DIR as
${DATABASE_FILE} (removing the -wal and -shm files beside the old one), start it.`;

export interface BackupResult {
  ok: true;
  file: string;
  bytes: number;
  sessions: number;
}

export async function runBackup(argv: string[]): Promise<BackupResult> {
  const { values, positionals } = parseOptions(argv, { 'data-dir': { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError('backup: give one DEST.sqlite (try --help)');
  const dest = resolve(positionals[0]!);
  const dataDir = values['data-dir'] ?? dataDirFromEnv();
  if (dataDir === MEMORY) throw new UsageError('backup: DATA_DIR is :memory:, nothing is kept');
  const source = join(resolve(dataDir), DATABASE_FILE);
  if (!existsSync(source)) throw new UsageError(`backup: no database at ${source}`);
  if (existsSync(dest)) throw new UsageError(`backup: ${dest} exists; give a new file name`);

  const db = new Database(source, { fileMustExist: true });
  try {
    // The server may hold a write lock for a moment; wait for it rather than fail.
    db.pragma('busy_timeout = 5000');
    await db.backup(dest);
  } finally {
    db.close();
  }
  const copy = new Database(dest, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`);
    const { sessions } = copy.prepare('SELECT count(*) AS sessions FROM sessions').get() as {
      sessions: number;
    };
    return { ok: true, file: dest, bytes: statSync(dest).size, sessions };
  } finally {
    copy.close();
  }
}
