/**
 * The database schema, as an ordered list of migrations. PRAGMA user_version holds how
 * many have run; opening a database runs the rest, each in its own transaction together
 * with the version bump, so a failed migration leaves the database as it was. Never edit
 * a migration that has shipped: add the next one.
 */
import type { Database } from 'better-sqlite3';

export type Migration = (db: Database) => void;

export const MIGRATIONS: readonly Migration[] = [
  // 1: sessions, their participants, events, keyframes and CSV uploads.
  (db) => {
    db.exec(`
      CREATE TABLE sessions (
        code TEXT PRIMARY KEY,
        replay_id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        created_at REAL NOT NULL,
        ended_at REAL,
        host_token_hash BLOB NOT NULL,
        initial_state TEXT NOT NULL,
        initial_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        last_event_at REAL,
        steps INTEGER NOT NULL DEFAULT 0,
        participants INTEGER NOT NULL DEFAULT 0,
        dataset TEXT NOT NULL,
        network TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sessions_live ON sessions (created_at) WHERE ended_at IS NULL;

      CREATE TABLE participants (
        session TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        token_hash BLOB NOT NULL,
        kicked INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (session, id)
      ) STRICT;

      CREATE TABLE events (
        session TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        t REAL NOT NULL,
        type TEXT NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (session, seq)
      ) STRICT;

      CREATE TABLE keyframes (
        session TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (session, seq)
      ) STRICT;

      CREATE TABLE csv_uploads (
        session TEXT PRIMARY KEY REFERENCES sessions (code) ON DELETE CASCADE,
        uploaded_at REAL NOT NULL,
        targets TEXT NOT NULL,
        text TEXT NOT NULL
      ) STRICT;
    `);
  },
  // 2: the CSV file each setup trained on (re-simulation and export need them all), and
  // each live session's latest training checkpoint (a restart resumes from it).
  (db) => {
    db.exec(`
      CREATE TABLE csv_setups (
        session TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        targets TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (session, seq)
      ) STRICT;

      CREATE TABLE training_checkpoints (
        session TEXT PRIMARY KEY REFERENCES sessions (code) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        checkpoint TEXT NOT NULL
      ) STRICT;
    `);
  },
  // 3: an import is stored in several transactions (so it never blocks the server for
  // long) and stays hidden until its last one; a crash in between leaves it to be deleted.
  (db) => {
    db.exec('ALTER TABLE sessions ADD COLUMN importing INTEGER NOT NULL DEFAULT 0');
  },
];

/** Runs the migrations `db` has not had yet; refuses a database from a newer version. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `the database is at schema version ${current}, newer than this server knows (${migrations.length}): ` +
        'run a newer server, or restore a backup',
    );
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      migrations[version]!(db);
      // PRAGMA takes no bound parameters; `version` is an integer we computed.
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
