/**
 * `backup DEST`: a copy of a running server's database, taken with SQLite's online backup
 * API while the server keeps writing, that opens as a data folder with every session in it.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { DATABASE_FILE } from '../../src/store/connection';
import { asyncSqliteStore, openSqliteStore, type SqliteStore } from '../../src/store';
import { cli, cliAsync } from '../helpers/cli';
import { startServer, type TestServer } from '../helpers/server';
import { createSession } from '../helpers/session';
import { ok, waitUntil } from '../helpers/sockets';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bpl-backup-'));
}

async function serveFrom(dataDir: string): Promise<TestServer> {
  const store = openSqliteStore(dataDir);
  const server = await startServer({ store: asyncSqliteStore(store) });
  cleanups.push(
    () => store.close(),
    () => server.close(),
  );
  return server;
}

/** The backup `file` put in a fresh data folder as a restore would, opened as the server does. */
function restored(file: string): SqliteStore {
  const dir = tempDir();
  copyFileSync(file, join(dir, DATABASE_FILE));
  const store = openSqliteStore(dir);
  cleanups.push(() => store.close());
  return store;
}

test('a copy taken while the server runs holds every committed event', async () => {
  const dataDir = tempDir();
  const server = await serveFrom(dataDir);
  const host = await createSession(server, 'Week 3');
  for (let k = 0; k < 3; k++) await ok(host.socket, 'host:step', { granularity: 'sample' });
  const live = server.app.sessions.get(host.code)!.state;

  const dest = join(tempDir(), 'week-3.sqlite');
  const result = await cliAsync(['backup', dest, '--data-dir', dataDir]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, file: dest, sessions: 1 });

  const copy = restored(dest).loadSession(host.code)!;
  expect(copy.session.title).toBe('Week 3');
  expect(copy.state.seq).toBe(live.seq);
  expect(copy.state.step).toBe(3);
  expect(copy.state.network).toEqual(live.network);
});

test('a copy taken during play is consistent: a whole prefix of the events', async () => {
  const dataDir = tempDir();
  const server = await serveFrom(dataDir);
  const host = await createSession(server);
  const room = server.app.sessions.get(host.code)!;
  await ok(host.socket, 'host:play', { playing: true });
  await waitUntil(() => room.state.step >= 5);

  const dest = join(tempDir(), 'during-play.sqlite');
  const result = await cliAsync(['backup', dest, '--data-dir', dataDir]);
  expect(result.code).toBe(0);
  const seqAtBackup = room.state.seq;
  await ok(host.socket, 'host:play', { playing: false });

  const store = restored(dest);
  const copy = store.loadSession(host.code)!;
  expect(copy.state.seq).toBeGreaterThan(0);
  expect(copy.state.seq).toBeLessThanOrEqual(seqAtBackup);
  const events = store.eventsSince(host.code, 0);
  expect(events.map((event) => event.seq)).toEqual(
    Array.from({ length: copy.state.seq }, (_, k) => k + 1),
  );
});

test('mistakes get one line and exit code 2, and nothing is written', async () => {
  const dataDir = tempDir();
  await serveFrom(dataDir);
  const taken = join(tempDir(), 'taken.sqlite');
  writeFileSync(taken, 'not mine to overwrite');
  const empty = tempDir();
  mkdirSync(join(empty, 'sub'));
  const cases: [string[], RegExp][] = [
    [['backup'], /give one DEST\.sqlite/],
    [['backup', 'a.sqlite', 'b.sqlite', '--data-dir', dataDir], /give one DEST\.sqlite/],
    [['backup', taken, '--data-dir', dataDir], /exists; give a new file name/],
    [['backup', join(empty, 'x.sqlite'), '--data-dir', join(empty, 'sub')], /no database at/],
    [['backup', join(empty, 'y.sqlite'), '--data-dir', ':memory:'], /nothing is kept/],
    [['backup', join(empty, 'z.sqlite'), '--bogus'], /Unknown option/],
  ];
  for (const [argv, message] of cases) {
    const result = await cliAsync(argv);
    expect(result.code, argv.join(' ')).toBe(2);
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  }
  expect(existsSync(join(empty, 'x.sqlite'))).toBe(false);
});

test('backup --help says how to back up and restore', () => {
  const result = cli(['backup', '--help']);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Usage: npm run -s cli -- backup DEST.sqlite');
  expect(result.stdout).toContain('To restore: stop the server');
});
