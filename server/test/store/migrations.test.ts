import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import {
  DATABASE_FILE,
  dataDirFromEnv,
  MIGRATIONS,
  openDatabase,
  openSqliteStore,
  type Migration,
} from '../../src/store';
import { classSession, createFrom, tempDataDir } from './fixtures';

const folders: (() => void)[] = [];
afterEach(() => folders.splice(0).forEach((remove) => remove()));

function folder(): string {
  const { dir, remove } = tempDataDir();
  folders.push(remove);
  return dir;
}

function tables(db: Database.Database): string[] {
  const rows = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all() as { name: string }[];
  return rows.map((row) => row.name);
}

describe('opening the database', () => {
  test('creates the folder and the file on first start, and migrates from empty', () => {
    const dir = join(folder(), 'nested', 'data');
    const db = openDatabase(dir);
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(tables(db)).toEqual([
      'csv_setups',
      'csv_uploads',
      'events',
      'keyframes',
      'participants',
      'sessions',
      'training_checkpoints',
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 1 = NORMAL (see connection.ts for why not FULL).
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  test('FULL synchronous can be asked for', () => {
    const db = openDatabase(folder(), { synchronous: 'FULL' });
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  test('re-opening runs nothing again and keeps the data', () => {
    const dir = folder();
    const lesson = classSession();
    const first = openSqliteStore(dir);
    createFrom(first, lesson.initial);
    first.appendEvents(lesson.initial.code, lesson.events);
    first.close();
    for (let k = 0; k < 2; k++) {
      const again = openSqliteStore(dir);
      expect(again.eventsSince(lesson.initial.code, 0)).toHaveLength(lesson.events.length);
      again.close();
    }
    const db = new Database(join(dir, DATABASE_FILE));
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  test('runs only the migrations a database has not had, in order', () => {
    const dir = folder();
    const ran: string[] = [];
    const step =
      (name: string): Migration =>
      (db) => {
        ran.push(name);
        db.exec(`CREATE TABLE ${name} (x INTEGER) STRICT`);
      };
    openDatabase(dir, { migrations: [step('a'), step('b')] }).close();
    expect(ran).toEqual(['a', 'b']);
    const db = openDatabase(dir, { migrations: [step('a'), step('b'), step('c')] });
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();
  });

  test('a failing migration leaves the database as it was', () => {
    const dir = folder();
    const good: Migration = (db) => db.exec('CREATE TABLE good (x INTEGER) STRICT');
    const bad: Migration = (db) => {
      db.exec('CREATE TABLE half (x INTEGER) STRICT');
      throw new Error('migration 2 failed');
    };
    expect(() => openDatabase(dir, { migrations: [good, bad] })).toThrow('migration 2 failed');
    const db = new Database(join(dir, DATABASE_FILE));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(['good']);
    db.close();
  });

  test('refuses a database from a newer server', () => {
    const dir = folder();
    openDatabase(dir).close();
    const db = new Database(join(dir, DATABASE_FILE));
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(dir)).toThrow(/newer than this server knows/);
  });

  test(':memory: keeps nothing on disk and needs no folder', () => {
    const db = openDatabase(':memory:');
    expect(tables(db)).toContain('events');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  test('DATA_DIR decides the folder; ./data by default', () => {
    expect(dataDirFromEnv({})).toBe('./data');
    expect(dataDirFromEnv({ DATA_DIR: '  ' })).toBe('./data');
    expect(dataDirFromEnv({ DATA_DIR: '/var/lib/backprop' })).toBe('/var/lib/backprop');
    expect(dataDirFromEnv({ DATA_DIR: ':memory:' })).toBe(':memory:');
  });
});
