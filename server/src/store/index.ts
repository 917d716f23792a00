/** Persistence: the Store interface, its SQLite implementation, and the room's event log on it. */
export * from './store';
export {
  dataDirFromEnv,
  DATABASE_FILE,
  MEMORY,
  openDatabase,
  type OpenOptions,
} from './connection';
export { MIGRATIONS, migrate, type Migration } from './migrations';
export { newReplayId, openSqliteStore, SqliteStore } from './sqlite-store';
export { StoreEventLog, type StoreEventLogOptions } from './store-event-log';
export { asyncSqliteStore, type AsyncStore } from './async-store';
export { isStoreUnavailable } from './store-unavailable';
