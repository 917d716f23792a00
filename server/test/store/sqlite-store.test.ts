import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import type { SessionEvent } from '@backprop/shared/session';
import {
  asyncSqliteStore,
  DATABASE_FILE,
  openSqliteStore,
  type SqliteStore,
} from '../../src/store';
import { classSession, createFrom, HOST_TOKEN, tempDataDir, wire } from './fixtures';
import { storeContract } from './store-contract';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function memoryStore(): SqliteStore {
  const store = openSqliteStore(':memory:');
  cleanups.push(() => store.close());
  return store;
}

const lesson = classSession();
const CODE = lesson.initial.code;

storeContract('SQLite', async () => asyncSqliteStore(memoryStore()));

describe('on disk', () => {
  function diskStore() {
    const { dir, remove } = tempDataDir();
    cleanups.push(remove);
    return { dir, open: () => openSqliteStore(dir) };
  }

  test('everything survives close and reopen, and the file passes integrity_check', () => {
    const { dir, open } = diskStore();
    const store = open();
    createFrom(store, lesson.initial);
    store.appendEvents(CODE, lesson.events.slice(0, 20));
    store.appendEvents(CODE, lesson.events.slice(20));
    store.putParticipant(CODE, { id: 'p1', name: 'Ada', token: 'token-of-ada-0000000000' });
    const before = { list: store.listRecordings(), loaded: store.loadSession(CODE) };
    store.close();

    const again = open();
    expect(again.listRecordings()).toEqual(before.list);
    expect(again.loadSession(CODE)).toEqual(before.loaded);
    expect(again.eventsSince(CODE, 0)).toStrictEqual(wire(lesson.events));
    again.close();

    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  test('tokens are stored only as SHA-256 hashes, in the database and its WAL', () => {
    const { dir, open } = diskStore();
    const store = open();
    const studentToken = 'student-secret-token-0123456789';
    const record = createFrom(store, lesson.initial);
    store.putParticipant(CODE, { id: 'p1', name: 'Ada', token: studentToken });
    expect(record.hostTokenHash).toEqual(sha256(HOST_TOKEN));
    // Before close: the rows may still be in the WAL file only.
    const files = () => readdirSync(dir).map((name) => readFileSync(join(dir, name)));
    for (const bytes of files()) {
      expect(bytes.includes(HOST_TOKEN)).toBe(false);
      expect(bytes.includes(studentToken)).toBe(false);
    }
    expect(files().some((bytes) => bytes.includes(sha256(studentToken)))).toBe(true);
    store.close();
    for (const bytes of files()) expect(bytes.includes(studentToken)).toBe(false);
  });
});

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

// The fixtures' events are SessionEvents (a compile-time check).
const _typed: SessionEvent[] = lesson.events;
