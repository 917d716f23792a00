/**
 * The Postgres store: the store contract (the same suite SQLite runs), then what only a
 * shared database has: migrations applied once by nodes starting together, appends from
 * two nodes to one session (the fence), and abandoned imports cleaned up by age only.
 * Runs a real Postgres (helpers/services.ts): it fails, naming Postgres, if none starts.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { StoreError } from '../../src/store';
import { sqlMigrations } from '../../src/store/postgres/migrate';
import {
  ABANDONED_IMPORT_MS,
  openPostgresStore,
  type PostgresStore,
} from '../../src/store/postgres/postgres-store';
import { freePort, startPostgres, type Service } from '../helpers/services';
import { classSession, createFrom } from './fixtures';
import { storeContract } from './store-contract';

let postgres: Service;
const open: PostgresStore[] = [];

beforeAll(async () => {
  postgres = await startPostgres(await freePort());
}, 60_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  await postgres?.remove();
});

/** A store on an emptied database (the schema stays: migrating is tested below). */
async function emptyStore(options: { clock?: () => number } = {}): Promise<PostgresStore> {
  const store = await openPostgresStore(postgres.url, options);
  open.push(store);
  const client = new pg.Client(postgres.url);
  await client.connect();
  await client.query('TRUNCATE sessions CASCADE');
  await client.end();
  return store;
}

storeContract('Postgres', () => emptyStore());

describe('Postgres in a cluster', () => {
  const lesson = classSession();
  const CODE = lesson.initial.code;

  test('nodes starting together migrate once, in versions', async () => {
    const client = new pg.Client(postgres.url);
    await client.connect();
    try {
      await client.query('DROP TABLE IF EXISTS schema_migrations, sessions CASCADE');
      await client.query(
        'DROP TABLE IF EXISTS participants, events, keyframes, csv_uploads, csv_setups, training_checkpoints',
      );
      const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(postgres.url)));
      open.push(...stores);
      const { rows } = await client.query<{ version: number; name: string }>(
        'SELECT version, name FROM schema_migrations ORDER BY version',
      );
      expect(rows).toEqual(sqlMigrations().map(({ version, name }) => ({ version, name })));
      expect(rows[0]).toEqual({ version: 1, name: 'sessions' });

      // A database from a newer server is refused, not half-used.
      await client.query("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')");
      await expect(openPostgresStore(postgres.url)).rejects.toThrow(
        /schema version 99, newer than this server knows \(1\)/,
      );
      await client.query('DELETE FROM schema_migrations WHERE version = 99');
    } finally {
      await client.end();
    }
  });

  test('two nodes appending the same seq: one commits, the other is refused (the fence)', async () => {
    const first = await emptyStore();
    const second = await openPostgresStore(postgres.url);
    open.push(second);
    await createFrom(first, lesson.initial);
    await first.appendEvents(CODE, lesson.events.slice(0, 3));
    const next = lesson.events.slice(3, 6);
    const results = await Promise.allSettled([
      first.appendEvents(CODE, next),
      second.appendEvents(CODE, next),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected')!;
    expect(refused.reason).toBeInstanceOf(StoreError);
    expect(String(refused.reason)).toMatch(/seq 4 does not follow 6/);
    expect((await second.eventsSince(CODE, 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('join codes are unique across nodes', async () => {
    const first = await emptyStore();
    const second = await openPostgresStore(postgres.url);
    open.push(second);
    const results = await Promise.allSettled([
      createFrom(first, lesson.initial),
      createFrom(second, lesson.initial),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected')!;
    expect(String(refused.reason)).toContain(`a session with the code ${CODE} already exists`);
  });

  test('opening deletes abandoned imports only, never one another node is storing', async () => {
    let now = 1_000_000_000;
    const store = await emptyStore({ clock: () => now });
    const session = (code: string) => ({
      code,
      title: 'import',
      createdAt: 1,
      hostToken: 'host-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      initial: { ...lesson.initial, code },
      importing: true,
    });
    await store.createSession(session('OLDIMP'));
    now += ABANDONED_IMPORT_MS - 1000;
    await store.createSession(session('NEWIMP'));
    now += 2000;
    open.push(await openPostgresStore(postgres.url, { clock: () => now }));
    expect(await store.codeInUse('OLDIMP')).toBe(false);
    expect(await store.codeInUse('NEWIMP')).toBe(true);
  });
});
