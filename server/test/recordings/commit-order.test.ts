/**
 * "Every session event is committed before it is acknowledged or broadcast", checked at
 * the moment each packet leaves the server: every outgoing socket.io packet (engine.io's
 * packetCreate, per socket) is inspected there and then — a 'session:events' message must
 * carry only seqs the store has committed, and an acknowledgement may only leave when the room holds
 * nothing uncommitted. And when a commit fails, nothing of its batch reaches anyone: the
 * room stops, its clients reconnect, and they find the stored state, without a gap.
 */
import { afterEach, expect, test } from 'vitest';
import type { SessionEvent } from '@backprop/shared/session';
import type { AppSocket } from '../../src/socket/types';
import { asyncSqliteStore, openSqliteStore, type SqliteStore, type Store } from '../../src/store';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState } from '../helpers/session';
import { emitAck, Mirror, ok, once, waitUntil } from '../helpers/sockets';
import { play } from '../helpers/recordings';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

/**
 * The store, with a switch that makes the next appendEvents fail (a full disk). The server
 * gets it behind the async contract (as every server does); the test reads it directly, in
 * the moment a packet leaves.
 */
function failingStore(): { store: SqliteStore; failNext: () => void; commits: () => number } {
  const inner = openSqliteStore(':memory:');
  let fail = false;
  let commits = 0;
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'appendEvents') {
        return (...args: Parameters<Store['appendEvents']>) => {
          if (fail) {
            fail = false;
            throw new Error('SQLITE_FULL: database or disk is full');
          }
          commits++;
          return target.appendEvents(...args);
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return { store, failNext: () => (fail = true), commits: () => commits };
}

interface Watched {
  violations: string[];
  events: number;
  acks: number;
}

/** Watches every packet the server sends: what was checked, and what was wrong. */
function watchPackets(server: TestServer, store: Store, code: () => string | null): Watched {
  const watched: Watched = { violations: [], events: 0, acks: 0 };
  const { violations } = watched;
  const watch = (socket: AppSocket) => {
    socket.conn.on('packetCreate', (packet: { type: string; data?: unknown }) => {
      const current = code();
      if (packet.type !== 'message' || typeof packet.data !== 'string' || !current) return;
      const committed = store.session(current)?.lastSeq ?? 0;
      const room = server.app.sessions.get(current);
      // socket.io packets: 2 = an event, 5 = an event with binary attachments (`5<n>-`),
      // then the ack id of a message of frames (outbox.ts); 3 = an acknowledgement
      // (engine.io adds its 4 later).
      const sessionEvents = /^(?:2|5\d+-)\d*(?=\["session:events")/.exec(packet.data);
      if (sessionEvents) {
        const json = packet.data.slice(sessionEvents[0].length);
        const events = (JSON.parse(json) as [string, SessionEvent[]])[1];
        for (const event of events) {
          watched.events++;
          if (event.seq > committed)
            violations.push(`event ${event.seq} sent, ${committed} committed`);
        }
      } else if (packet.data.startsWith('3') && room && !room.hasStopped) {
        watched.acks++;
        if (room.state.seq > committed) {
          violations.push(`ack sent at state ${room.state.seq}, ${committed} committed`);
        }
      }
    });
  };
  for (const socket of server.app.io.sockets.sockets.values()) watch(socket);
  server.app.io.on('connection', watch);
  return watched;
}

test('no event leaves before it is committed, and no ack before its events are', async () => {
  const { store, commits } = failingStore();
  server = await startServer({ store: asyncSqliteStore(store) });
  let code: string | null = null;
  const watched = watchPackets(server, store, () => code);
  const host = await createSession(server);
  code = host.code;
  const student = await joinSession(server, host.code, 'Ada');
  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  for (const granularity of ['stage', 'stage', 'sample', 'batch', 'epoch'] as const) {
    await ok(host.socket, 'host:step', { granularity });
  }
  await play(server, host, 300);
  await ok(host.socket, 'host:marker', { label: 'Here' });
  await ok(host.socket, 'host:reset', {});
  const state = serverState(server, host.code);
  await student.mirror.reach(state.seq);
  expect(watched.violations).toEqual([]);
  // Every event went to both sockets; every command was acknowledged.
  expect(watched.events).toBeGreaterThanOrEqual(2 * (state.seq - 2));
  expect(watched.acks).toBeGreaterThanOrEqual(10);
  expect(student.mirror.state).toEqual(state);
  // Batches, not one transaction per event: a play frame, a step's stages, all in one.
  expect(commits()).toBeLessThan(state.seq);
  expect(store.eventsSince(host.code, 0)).toHaveLength(state.seq);
});

test('a failed commit: nothing of the batch is sent, the room stops, clients come back to the stored state', async () => {
  const { store, failNext } = failingStore();
  server = await startServer({ store: asyncSqliteStore(store) });
  let code: string | null = null;
  const watched = watchPackets(server, store, () => code);
  const host = await createSession(server);
  code = host.code;
  const student = await joinSession(server, host.code, 'Ada');
  await ok(host.socket, 'host:step', { granularity: 'batch' });
  const committed = store.session(host.code)!.lastSeq;
  await student.mirror.reach(committed);

  failNext();
  const gone = once(student.socket, 'disconnect');
  const reply = emitAck(host.socket, 'host:step', { granularity: 'batch' }).catch(
    (err: unknown) => err,
  );
  await gone;
  await reply;
  expect(server.app.sessions.get(host.code)).toBeUndefined();
  expect(store.session(host.code)!.lastSeq).toBe(committed);
  // Nobody saw the lost step.
  expect(student.mirror.seq).toBe(committed);
  expect(student.mirror.received.every((e) => e.seq <= committed)).toBe(true);
  expect(server.logs.some((line) => String(line.msg).startsWith('committing events failed'))).toBe(
    true,
  );

  // The student reconnects with their token and last seq: the room comes back from the store.
  const socket = await server.connect();
  const mirror = new Mirror(socket);
  mirror.state = student.mirror.state;
  const resumed = await ok(socket, 'session:resume', {
    code: host.code,
    token: student.token,
    lastSeq: student.mirror.seq,
  });
  mirror.sync(resumed.sync);
  const room = server.app.sessions.get(host.code)!;
  await waitUntil(() => mirror.seq === room.state.seq);
  expect(mirror.gaps + mirror.duplicates).toBe(0);
  expect(mirror.state).toEqual(room.state);
  expect(room.state.step).toBe(1);
  expect(watched.violations).toEqual([]);
});
