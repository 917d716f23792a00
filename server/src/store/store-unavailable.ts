/**
 * Whether a failed store call means "the store cannot be reached or written right now"
 * (Postgres stopped or unreachable, a disk full, a lock held too long) as opposed to "the
 * store refused this": a StoreError (the fence: a seq another node has already committed,
 * a session that is not there) or a constraint violation. The first kind is waited out (a
 * room goes on hold and comes back by itself: sessions/held-rooms.ts); the second must
 * drop the room as before, since another node may own it now. Anything not recognised
 * counts as the second kind, so an unknown failure never leaves a room probing forever.
 */
import { StoreError } from './store';

/** Postgres SQLSTATE classes of a server that is going or gone, not of a statement. */
const POSTGRES_CLASSES = new Set([
  '08', // connection exception
  '53', // insufficient resources (disk full, out of memory, too many connections)
  '57', // operator intervention (admin shutdown, cannot connect now)
  '58', // system error (I/O)
]);

/** Node's errors of a connection that could not be made or was cut, and of a full disk. */
const SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOSPC',
  'EIO',
]);

/**
 * node-postgres's own errors for a lost or impossible connection carry no code, only
 * these messages (pg/lib/client.js, pg-pool/index.js).
 */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Query read timeout',
];

/** better-sqlite3's codes (SqliteError.code) for a disk or a lock, not a statement. */
const SQLITE_CODES = new Set([
  'SQLITE_FULL',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_PROTOCOL',
]);

export function isStoreUnavailable(err: unknown): boolean {
  // Through wrappers (a stopped room's error holds its store's as `cause`).
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof StoreError) return false;
    if (unavailableHere(e)) return true;
  }
  return false;
}

function unavailableHere(err: Error): boolean {
  const { code } = err as { code?: unknown };
  if (typeof code === 'string') {
    if (SQLITE_CODES.has(code) || code.startsWith('SQLITE_IOERR')) return true;
    if (SYSTEM_CODES.has(code)) return true;
    // A SQLSTATE: five characters, the first two its class.
    if (/^[0-9A-Z]{5}$/.test(code)) return POSTGRES_CLASSES.has(code.slice(0, 2));
  }
  // An AggregateError: every address of the host refused (ECONNREFUSED on ::1 and 127.0.0.1).
  if (err instanceof AggregateError && err.errors.length > 0) {
    return err.errors.every((inner) => isStoreUnavailable(inner));
  }
  return PG_CONNECTION_MESSAGES.some((message) => err.message.startsWith(message));
}
