/**
 * The per-socket token bucket, the abuse cut-off and the per-command table (limits.ts,
 * socket/event-limits.ts), on a real server with the production defaults unless a test
 * says otherwise.
 */
import { afterEach, expect, test } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/limits';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState } from '../helpers/session';
import { emitAck, emitRaw, ok, once, waitForEvent } from '../helpers/sockets';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const PRODUCTION = { events: DEFAULT_LIMITS.events, commands: DEFAULT_LIMITS.commands };

test('past 10 events a second (bursts of 20), events are refused, not the socket', async () => {
  server = await startServer({ limits: PRODUCTION });
  const host = await createSession(server); // one event spent
  const before = serverState(server, host.code).seq;
  const replies = await Promise.all(
    Array.from({ length: 40 }, (_, k) => emitAck(host.socket, 'host:title', { title: `T${k}` })),
  );
  const passed = replies.filter((r) => r.ok).length;
  const limited = replies.filter((r) => !r.ok && r.error.code === 'rate-limited');
  // 10 in the second + 10 from the burst reserve, minus the create.
  expect(passed).toBe(19);
  expect(limited).toHaveLength(21);
  expect(limited[0]).toMatchObject({
    error: {
      message: expect.stringMatching(/at most 10 a second \(bursts of 20\)/),
      retryAfterMs: expect.any(Number),
    },
  });
  expect(serverState(server, host.code).seq).toBe(before + 19);
  expect(host.socket.connected).toBe(true);
  // The steady rate comes back after a second.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await ok(host.socket, 'host:title', { title: 'Later' });
});

test('a socket sending 5× what the bucket allows is disconnected; the class carries on', async () => {
  server = await startServer({ limits: PRODUCTION });
  const host = await createSession(server);
  const student = await joinSession(server, host.code, 'Ada');
  const flooder = await server.connect();
  const closed = once(flooder, 'disconnect');
  for (let k = 0; k < 150; k++) {
    (flooder.emit as (event: string, ...args: unknown[]) => void)('session:sync', { lastSeq: 0 });
  }
  expect((await closed)[0]).toBe('io server disconnect');
  expect(
    server.logs.some((l) => l.msg === 'socket disconnected: far over the event rate limit'),
  ).toBe(true);
  const seen = waitForEvent(student.socket, (e) => e.type === 'title-set');
  await ok(host.socket, 'host:title', { title: 'Still teaching' });
  await seen;
});

test('unknown events count against the bucket too', async () => {
  server = await startServer({
    limits: { ...PRODUCTION, events: { perSecond: 2, burst: 2, abuseFactor: 50 } },
  });
  const socket = await server.connect();
  const replies = await Promise.all(
    Array.from({ length: 4 }, () => emitRaw(socket, 'no-such-event', {})),
  );
  expect(replies.map((r) => (r as { error: { code: string } }).error.code)).toEqual([
    'bad-request',
    'bad-request',
    'rate-limited',
    'rate-limited',
  ]);
});

test('per-command limits: a member shares one allowance across tabs; strangers per address', async () => {
  server = await startServer({
    limits: {
      commands: {
        'session:sync': { points: 3, seconds: 60, key: 'member', what: 'sync requests' },
        'session:create': { points: 2, seconds: 60, key: 'ip', what: 'new sessions' },
      },
    },
  });
  const host = await createSession(server);
  const student = await joinSession(server, host.code, 'Ada');
  const tab = await server.connect();
  await ok(tab, 'session:resume', { code: host.code, token: student.token, lastSeq: 0 });
  await ok(student.socket, 'session:sync', { lastSeq: 0 });
  await ok(tab, 'session:sync', { lastSeq: 0 });
  await ok(student.socket, 'session:sync', { lastSeq: 0 });
  const refused = await emitAck(tab, 'session:sync', { lastSeq: 0 });
  expect(refused).toMatchObject({
    ok: false,
    error: {
      code: 'rate-limited',
      message: expect.stringContaining('Too many sync requests'),
      retryAfterMs: expect.any(Number),
    },
  });
  // The host is another member, with its own allowance.
  await ok(host.socket, 'session:sync', { lastSeq: 0 });

  // The first session counted too: one more from this address, then refused.
  const stranger = await server.connect();
  await ok(stranger, 'session:create', {});
  const third = await emitAck(await server.connect(), 'session:create', {});
  expect(third).toMatchObject({
    ok: false,
    error: { code: 'rate-limited', message: expect.stringContaining('from one network') },
  });
  expect(server.app.sessions.size).toBe(2);
});
