/**
 * A join may carry a key (room/join-keys.ts): a client that retries a join answered `busy`
 * or not at all sends the same key again, and must get the first join's student back,
 * never a second one. Joins without a key (older clients) work as before.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startServer, type TestServer } from './helpers/server';
import { createSession, serverState, type Host } from './helpers/session';
import { emitAck, ok, onEvents } from './helpers/sockets';

let server: TestServer;
let host: Host;
beforeEach(async () => {
  server = await startServer();
  host = await createSession(server);
});
afterEach(async () => {
  await server.close();
});

const KEY = 'join-key-0123456789';

test('the same key again, from another socket: the same student and token, one participant', async () => {
  const first = await server.connect();
  const joined = await ok(first, 'session:join', { code: host.code, name: 'Ada', key: KEY });
  // The retry comes on a new connection (the first answer was lost with the old one).
  first.disconnect();
  const second = await server.connect();
  const again = await ok(second, 'session:join', { code: host.code, name: 'Ada', key: KEY });
  expect([again.participantId, again.token]).toEqual([joined.participantId, joined.token]);
  const { participants } = serverState(server, host.code);
  expect(participants).toEqual([{ id: joined.participantId, name: 'Ada', connected: true }]);
  // The token it got back is the student's own: it resumes them.
  const third = await server.connect();
  const resumed = await ok(third, 'session:resume', {
    code: host.code,
    token: again.token,
    lastSeq: 0,
  });
  expect(resumed.participantId).toBe(joined.participantId);

  // Without the key, the same name is someone else, and is refused as taken.
  const other = await server.connect();
  expect(await emitAck(other, 'session:join', { code: host.code, name: 'Ada' })).toMatchObject({
    ok: false,
    error: { code: 'name-taken' },
  });
});

test('an older client without a key joins as before; a key too short to be secret is refused', async () => {
  const old = await server.connect();
  const joined = await ok(old, 'session:join', { code: host.code, name: 'Bo' });
  expect(serverState(server, host.code).participants.map((p) => p.id)).toEqual([
    joined.participantId,
  ]);
  const weak = await server.connect();
  expect(
    await emitAck(weak, 'session:join', { code: host.code, name: 'Cy', key: 'short' }),
  ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
});

test('a kicked student retrying with the key is told so, not let back in', async () => {
  const socket = await server.connect();
  const joined = await ok(socket, 'session:join', { code: host.code, name: 'Di', key: KEY });
  await ok(host.socket, 'host:kick', { participantId: joined.participantId });
  const retry = await server.connect();
  expect(
    await emitAck(retry, 'session:join', { code: host.code, name: 'Di', key: KEY }),
  ).toMatchObject({ ok: false, error: { code: 'kicked' } });
});

test('100 students joining at once, each join sent twice: 100 participants, in grouped messages', async () => {
  const messages: number[] = [];
  onEvents(host.socket, (events) => messages.push(events.length));
  const sockets = await Promise.all(Array.from({ length: 100 }, () => server.connect()));
  const replies = await Promise.all(
    sockets.flatMap((socket, k) => {
      const payload = {
        code: host.code,
        name: `S${k}`,
        key: `storm-key-${String(k).padStart(8, '0')}`,
      };
      return [ok(socket, 'session:join', payload), ok(socket, 'session:join', payload)];
    }),
  );
  for (let k = 0; k < 100; k++) {
    const [a, b] = [replies[2 * k]!, replies[2 * k + 1]!];
    expect([b.participantId, b.token]).toEqual([a.participantId, a.token]);
  }
  expect(new Set(replies.map((r) => r.participantId)).size).toBe(100);
  expect(serverState(server, host.code).participants).toHaveLength(100);
  // Joins enter the room in groups (student-lane.ts): one commit and one message per group.
  await host.mirror.reach(serverState(server, host.code).seq);
  expect(messages.reduce((sum, n) => sum + n, 0)).toBe(100);
  expect(messages.length).toBeLessThan(50);
});
