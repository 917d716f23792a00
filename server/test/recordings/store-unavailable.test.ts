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
import { afterEach, expect, test } from 'vitest';
import { asyncSqliteStore, openSqliteStore } from '../../src/store';
import { fillableStore } from '../helpers/fillable-store';
import { sample } from '../helpers/metrics';
import type { ResumingClient } from '../helpers/resuming';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession } from '../helpers/session';
import { expectExportVerifies } from '../helpers/cli';
import { emitAck, ok, once } from '../helpers/sockets';
import {
  expectPlaysOnAndConverges,
  expectRefusedOnHold,
  expectStillHeld,
  logCount,
  playingClass,
} from '../helpers/store-away';

let server: TestServer;
const clients: ResumingClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

test('a full disk: refused as "the recordings store is unavailable", nothing unstored sent, play resumes by itself', async () => {
  const disk = fillableStore();
  const { store } = disk;
  server = await startServer({
    store: asyncSqliteStore(store),
    config: { metrics: { token: METRICS_TOKEN, port: null } },
  });
  const playing = await playingClass(server, 'Disk full');
  const { code, host, ada } = playing;
  clients.push(host, ada);

  disk.setFull(true);
  await expectRefusedOnHold(server, playing);
  // The probes restore the room and fail to commit its first events: still held.
  await expectStillHeld(server, playing);
  expect(logCount(server, 'session restored from the store')).toBeGreaterThanOrEqual(2);
  const committed = store.session(code)!.lastSeq;
  expect(Math.max(host.seq, ada.seq)).toBeLessThanOrEqual(committed);
  // What an operator's dashboard shows meanwhile.
  const onHold = await metrics(server);
  expect(sample(onHold, 'backprop_rooms_on_hold')).toBe(1);
  expect(sample(onHold, 'backprop_rooms_live')).toBe(0);
  expect(
    sample(onHold, 'backprop_commands_refused_total{command="host:step",reason="unavailable"}'),
  ).toBe(1);

  // Room on the disk again: the room comes back by itself and plays on.
  disk.setFull(false);
  await expectPlaysOnAndConverges(
    server,
    playing,
    async (after) => store.eventsSince(code, after),
    committed,
  );
  expect(sample(await metrics(server), 'backprop_rooms_on_hold')).toBe(0);
  await expectExportVerifies(server, store.session(code)!.replayId);
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
  expect(logCount(server, 'the recordings store is unavailable')).toBe(0);
});

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

async function metrics(server: TestServer): Promise<string> {
  const res = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  return res.text();
}
