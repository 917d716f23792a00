/**
 * A SQLite store on disk whose disk fills on demand: while full, every write that would
 * grow the database fails with the error better-sqlite3 throws then (SQLITE_FULL); reads
 * go on. For the "store unavailable" tests (server/test/recordings/store-unavailable,
 * e2e/store-away).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore, type SqliteStore, type Store } from '../../src/store';

const WRITES = new Set<keyof Store>(['appendEvents', 'createSession', 'putParticipant']);

export function fillableStore(dataDir?: string): {
  store: SqliteStore;
  setFull: (full: boolean) => void;
} {
  const inner = openSqliteStore(dataDir ?? join(mkdtempSync(join(tmpdir(), 'bpl-full-')), 'data'));
  let full = false;
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (full && WRITES.has(key as keyof Store)) {
          throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, setFull: (value) => (full = value) };
}
