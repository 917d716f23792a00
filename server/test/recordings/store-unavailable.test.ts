/**
 * The recordings store away (here SQLite with a full disk, on demand): a session playing
 * with a host and a student goes on hold. Every command of the room, and a new join, is
 * answered 'unavailable', "the recordings store is unavailable"; the clients stay
 * connected and are told; nobody receives an event the store does not have. When the disk
 * has room again the session comes back by itself from the store, play goes on, the
 * clients resume without a gap or a duplicate, and the recording verifies.
 *
 * And the other kind of failure keeps dropping the room as before: a commit refused by the
 * store's fence (another writer committed the seq: another node took the room).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import { STORE_UNAVAILABLE_MESSAGE } from '@backprop/shared/protocol';
import { asyncSqliteStore, openSqliteStore, type SqliteStore, type Store } from '../../src/store';
import { cli } from '../helpers/cli';
import { ResumingClient } from '../helpers/resuming';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState } from '../helpers/session';
import { emitAck, ok, once, waitUntil } from '../helpers/sockets';

let server: TestServer;
const clients: ResumingClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

const REFUSED = { ok: false, error: { code: 'unavailable', message: STORE_UNAVAILABLE_MESSAGE } };

/**
 * A SQLite store whose disk fills on demand: while `full`, every write that would grow the
 * database fails with the SqliteError better-sqlite3 throws then (SQLITE_FULL); reads go on.
 */
function fillableStore(): { store: SqliteStore; setFull: (full: boolean) => void } {
  const inner = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'bpl-full-')), 'data'));
  let full = false;
  const writes = new Set<keyof Store>(['appendEvents', 'createSession', 'putParticipant']);
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (full && writes.has(key as keyof Store)) {
          throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, setFull: (value) => (full = value) };
}

test('a full disk: refused as "the recordings store is unavailable", nothing unstored sent, play resumes by itself', async () => {
  const disk = fillableStore();
  const store = disk.store;
  server = await startServer({ store: asyncSqliteStore(store) });
  const created = await createSession(server, 'Disk full');
  const { code } = created;
  const joined = await joinSession(server, code, 'Ada');
  const host = new ResumingClient(server, code, created.hostToken, created);
  const ada = new ResumingClient(server, code, joined.token, joined);
  clients.push(host, ada);
  await ok(host.socket, 'host:step', { granularity: 'batch' });
  await ok(host.socket, 'host:play', { playing: true });
  await waitUntil(() => (ada.state?.step ?? 0) > 5);

  disk.setFull(true);
  await waitUntil(() => server.app.sessions.isHeld(code));
  await waitUntil(() => host.notices === 1 && ada.notices === 1);
  // Every command of the room is refused while the disk is full, the host's and a
  // student's; so is a new student's join. The clients stay connected meanwhile.
  expect(await emitAck(host.socket, 'host:step', { granularity: 'batch' })).toEqual(REFUSED);
  expect(await emitAck(host.socket, 'host:play', { playing: false })).toEqual(REFUSED);
  expect(await emitAck(host.socket, 'session:sync', { lastSeq: host.seq })).toEqual(REFUSED);
  expect(await emitAck(ada.socket, 'student:ready', { ready: true })).toEqual(REFUSED);
  const late = await server.connect();
  expect(await emitAck(late, 'session:join', { code, name: 'Bea' })).toEqual(REFUSED);
  late.disconnect();
  // The probes restore the room and fail to commit its first events: still held, and
  // nobody was disconnected or sent anything.
  await waitUntil(() => restoredTimes(server) >= 2);
  expect(serverLogCount(server, 'store probe: still unavailable')).toBeGreaterThanOrEqual(1);
  expect(server.app.sessions.isHeld(code)).toBe(true);
  expect(host.connected && ada.connected).toBe(true);
  const committed = store.session(code)!.lastSeq;
  expect(host.seq).toBeLessThanOrEqual(committed);
  expect(ada.seq).toBeLessThanOrEqual(committed);
  const onHold = serverLogCount(server, 'the recordings store is unavailable: session on hold');
  expect(onHold).toBe(1);

  // Room on the disk again: the room comes back by itself and plays on.
  disk.setFull(false);
  await waitUntil(() => !server.app.sessions.isHeld(code), 10_000);
  await waitUntil(() => host.resumes === 1 && ada.resumes === 1 && host.connected, 10_000);
  const back = serverState(server, code);
  expect(back.playing).toBe(true);
  await waitUntil(() => serverState(server, code).step > back.step + 5, 10_000);
  await ok(host.socket, 'host:play', { playing: false });
  await ok(host.socket, 'host:end', {});
  const final = serverState(server, code);
  await host.reach(final.seq);
  await ada.reach(final.seq);
  for (const client of [host, ada]) {
    expect(client.gaps + client.duplicates).toBe(0);
    expect(client.state).toEqual(final);
    // Everything a client was sent is what the store holds at that seq: nothing unstored.
    const stored = new Map(store.eventsSince(code, 0).map((e) => [e.seq, JSON.stringify(e)]));
    for (const event of client.received) expect(JSON.stringify(event)).toBe(stored.get(event.seq));
  }
  // The hold is in the recording as a pause and a play (after restart), then play went on.
  expect(store.eventsSince(code, committed).filter((e) => e.type === 'play-changed')).toMatchObject(
    [{ playing: false }, { playing: true }, { playing: false }],
  );

  const path = await exportToFile(server, store.session(code)!.replayId);
  const verified = cli(['verify', path]);
  expect(verified.stderr).toBe('');
  expect(verified.code).toBe(0);
}, 60_000);

test('a commit fenced by the store (another writer took the seq) still drops the room', async () => {
  const store = openSqliteStore(':memory:');
  server = await startServer({ store: asyncSqliteStore(store) });
  const host = await createSession(server);
  const ada = await joinSession(server, host.code, 'Ada');
  await ok(host.socket, 'host:step', { granularity: 'batch' });
  const committed = store.session(host.code)!.lastSeq;
  await ada.mirror.reach(committed);
  // What another node that took the room would do: commit the next seq itself.
  store.appendEvents(host.code, [
    { type: 'marker', label: 'another node', seq: committed + 1, t: Date.now() },
  ]);

  const gone = once(ada.socket, 'disconnect');
  const reply = emitAck(host.socket, 'host:step', { granularity: 'batch' }).catch(
    (err: unknown) => err,
  );
  await gone;
  expect(await reply).not.toMatchObject({ ok: true });
  expect(server.app.sessions.get(host.code)).toBeUndefined();
  expect(server.app.sessions.isHeld(host.code)).toBe(false);
  expect(ada.mirror.seq).toBe(committed);
  expect(serverLogCount(server, 'the recordings store is unavailable')).toBe(0);
});

function restoredTimes(server: TestServer): number {
  return serverLogCount(server, 'session restored from the store');
}

function serverLogCount(server: TestServer, prefix: string): number {
  return server.logs.filter((line) => String(line.msg).startsWith(prefix)).length;
}

async function exportToFile(server: TestServer, replayId: string): Promise<string> {
  const file = await (await fetch(`${server.url}/api/recordings/${replayId}/export`)).text();
  const path = join(mkdtempSync(join(tmpdir(), 'bpl-held-')), 'held.ndjson');
  writeFileSync(path, file);
  return path;
}
