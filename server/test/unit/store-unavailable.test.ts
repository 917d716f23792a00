/**
 * Which store failures put a room on hold (the store is away: wait for it) and which drop
 * it (the store refused the commit: the fence, a constraint, or anything unknown).
 */
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { RoomStoppedError } from '../../src/room/room-stopped';
import { isStoreUnavailable, StoreError } from '../../src/store';

function withCode(code: string, message = 'failed'): Error {
  return Object.assign(new Error(message), { code });
}

test('a store that cannot be reached or written is unavailable', () => {
  for (const err of [
    new Database.SqliteError('database or disk is full', 'SQLITE_FULL'),
    new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE'),
    new Database.SqliteError('database is locked', 'SQLITE_BUSY'),
    withCode('57P01', 'terminating connection due to administrator command'),
    withCode('08006', 'connection failure'),
    withCode('53100', 'could not extend file: No space left on device'),
    withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
    new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
  ]) {
    expect(isStoreUnavailable(err), err.message).toBe(true);
    // As a stopped room's error carries it.
    expect(isStoreUnavailable(new RoomStoppedError('ABCDEF', err))).toBe(true);
  }
});

test('a refusal by the store, or an unknown failure, is not', () => {
  for (const err of [
    new StoreError('session ABCDEF: event seq 12 does not follow 12'),
    withCode('23505', 'duplicate key value violates unique constraint "events_pkey"'),
    withCode('42P01', 'relation "events" does not exist'),
    new Database.SqliteError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_PRIMARYKEY'),
    new AggregateError([withCode('ECONNREFUSED'), new Error('boom')]),
    new Error('SQLITE_FULL: only in the message'),
    new Error('boom'),
  ]) {
    expect(isStoreUnavailable(err), err.message).toBe(false);
    expect(isStoreUnavailable(new RoomStoppedError('ABCDEF', err))).toBe(false);
  }
  expect(isStoreUnavailable(new RoomStoppedError('ABCDEF'))).toBe(false);
  expect(isStoreUnavailable('ECONNREFUSED')).toBe(false);
  expect(isStoreUnavailable(undefined)).toBe(false);
});
