/**
 * npm run bench:cluster-costs [-- --commits 2000] [-- --rooms 50] [-- --json]
 *
 * What one event costs the services a cluster adds, measured on the real store code
 * (docs/scaling.md turns these into on-paper limits; figures in docs/benchmarks.md):
 * 1. a commit of one event (a play frame) to the SQLite store on disk (WAL, the single
 *    node's default) and to the Postgres store (a durable Postgres: fsync and
 *    synchronous_commit on), side by side: one room at a time, then `rooms` rooms
 *    committing at once (Postgres through one node's pool of 10 connections);
 * 2. Redis round trips a node makes: a lease renewal (compare-and-pexpire script) and a
 *    shared rate-limit count, one at a time and 100 at once.
 * Runs its own Postgres (5442) and Redis (6394) on loopback, ports no test uses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectRedis } from '../../server/src/cluster/redis-client';
import { RoomLeases } from '../../server/src/cluster/room-leases';
import { windowLimiter } from '../../server/src/security/limiter';
import { asyncSqliteStore, openSqliteStore, type AsyncStore } from '../../server/src/store';
import { openPostgresStore } from '../../server/src/store/postgres/postgres-store';
import { startPostgres, startRedis } from '../../server/test/helpers/services';
import { randomSession } from '../../shared/test/recording/helpers/sessions';
import type { SessionEvent } from '../../shared/src/session';

const { values } = parseArgs({
  options: {
    commits: { type: 'string' },
    rooms: { type: 'string' },
    json: { type: 'boolean' },
  },
});
const COMMITS = Number(values.commits ?? 2000);
const ROOMS = Number(values.rooms ?? 50);

const session = randomSession(7, COMMITS);
const events: SessionEvent[] = session.events;

/** Creates `code` and commits the session's events one per transaction; ms per commit. */
async function commitOneByOne(store: AsyncStore, code: string, count: number): Promise<number> {
  await store.createSession({
    code,
    title: 'bench',
    createdAt: session.initial.createdAt,
    hostToken: 'host-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    initial: { ...session.initial, code },
  });
  const started = performance.now();
  for (const event of events.slice(0, count)) await store.appendEvents(code, [event]);
  return (performance.now() - started) / count;
}

/** `rooms` rooms committing at once; events committed per second, all rooms together. */
async function commitConcurrently(store: AsyncStore, prefix: string, rooms: number) {
  const perRoom = Math.max(Math.floor(COMMITS / 10), 20);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: rooms }, (_, k) =>
      commitOneByOne(store, `${prefix}${String(k).padStart(3, '0')}`, perRoom),
    ),
  );
  return (rooms * perRoom) / ((performance.now() - started) / 1000);
}

async function timeEach(count: number, parallel: number, op: (k: number) => Promise<unknown>) {
  const started = performance.now();
  for (let k = 0; k < count; k += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, count - k) }, (_, j) => op(k + j)));
  }
  const ms = performance.now() - started;
  return { usEach: (ms * 1000) / count, perSecond: count / (ms / 1000) };
}

const dir = mkdtempSync(join(tmpdir(), 'bpl-bench-'));
const postgres = await startPostgres(5442, { durable: true });
const redis = await startRedis(6394);
try {
  const sqlite = asyncSqliteStore(openSqliteStore(dir));
  const pg = await openPostgresStore(postgres.url);
  const sqliteMs = await commitOneByOne(sqlite, 'SQLITE', COMMITS);
  const pgMs = await commitOneByOne(pg, 'PGONE1', COMMITS);
  const sqliteRate = await commitConcurrently(sqlite, 'SQ', ROOMS);
  const pgRate = await commitConcurrently(pg, 'PG', ROOMS);
  await sqlite.close();
  await pg.close();

  const client = await connectRedis(redis.url);
  const leases = new RoomLeases(client, 'bench-node', { onLost: () => undefined });
  for (let k = 0; k < 100; k++) await leases.acquire(`LEASE${k}`);
  leases.stopRenewing();
  const renewOne = await timeEach(2000, 1, () => leases.renewAll());
  const limiter = windowLimiter({ points: 1e9, seconds: 600 }, { redis: client, name: 'bench' });
  const countOne = await timeEach(COMMITS, 1, (k) => limiter.take(`ip-${k % 500}`));
  const countMany = await timeEach(COMMITS * 5, 100, (k) => limiter.take(`ip-${k % 500}`));
  client.destroy();

  const result = {
    commits: COMMITS,
    rooms: ROOMS,
    commitMs: { sqlite: sqliteMs, postgres: pgMs, ratio: pgMs / sqliteMs },
    eventsPerSecondAtOnce: { sqlite: sqliteRate, postgres: pgRate, ratio: pgRate / sqliteRate },
    redis: {
      renew100LeasesUs: renewOne.usEach,
      limiterCountUs: countOne.usEach,
      limiterCountsPerSecond100AtOnce: countMany.perSecond,
    },
  };
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else {
    const f = (n: number, d = 2) => n.toFixed(d);
    console.log(`one event per commit, ${COMMITS} commits, one room:`);
    console.log(`  SQLite (disk, WAL)   ${f(sqliteMs, 3)} ms/commit`);
    console.log(
      `  Postgres (durable)   ${f(pgMs, 3)} ms/commit   (${f(result.commitMs.ratio, 1)}× SQLite)`,
    );
    console.log(`${ROOMS} rooms committing at once (events/s, all rooms):`);
    console.log(`  SQLite               ${f(sqliteRate, 0)}`);
    console.log(
      `  Postgres (pool 10)   ${f(pgRate, 0)}   (${f(result.eventsPerSecondAtOnce.ratio, 2)}× SQLite)`,
    );
    console.log('Redis:');
    console.log(`  renewing 100 leases      ${f(renewOne.usEach / 1000, 3)} ms per round`);
    console.log(`  a shared limit count     ${f(countOne.usEach, 0)} µs each, one at a time`);
    console.log(`  100 counts at once       ${f(countMany.perSecond, 0)} counts/s`);
  }
} finally {
  await postgres.remove();
  await redis.remove();
  rmSync(dir, { recursive: true, force: true });
}
