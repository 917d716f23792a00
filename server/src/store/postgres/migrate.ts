/**
 * The Postgres schema, as versioned SQL files in ./migrations (NNN_name.sql, applied in
 * order). schema_migrations records each one applied; each runs in its own transaction
 * together with its row, so a failed migration leaves the database as it was. An advisory
 * lock makes nodes that start together take turns: the first applies, the others find it
 * done. Never edit a migration that has shipped: add the next file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';

export interface SqlMigration {
  version: number;
  name: string;
  sql: string;
}

const FOLDER = new URL('./migrations/', import.meta.url).pathname;
/** Any constant both sides agree on: "bpl" + 1. */
const LOCK_KEY = 0x62706c01;

/** The migration files, in version order; a gap or a repeated number is a packaging bug. */
export function sqlMigrations(folder = FOLDER): SqlMigration[] {
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  return files.map((file, index) => {
    const match = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match || Number(match[1]) !== index + 1) {
      throw new Error(`postgres migrations: ${file} is out of sequence (expected ${index + 1})`);
    }
    return { version: index + 1, name: match[2]!, sql: readFileSync(join(folder, file), 'utf8') };
  });
}

/** Applies the migrations `pool`'s database has not had; refuses one from a newer server. */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: readonly SqlMigration[] = sqlMigrations(),
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>(
      'SELECT COALESCE(MAX(version), 0)::integer AS version FROM schema_migrations',
    );
    const current = rows[0]!.version;
    if (current > migrations.length) {
      throw new Error(
        `the database is at schema version ${current}, newer than this server knows ` +
          `(${migrations.length}): run a newer server, or restore a backup`,
      );
    }
    for (const migration of migrations.slice(current)) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`postgres migration ${migration.version} (${migration.name}) failed`, {
          cause: err,
        });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
