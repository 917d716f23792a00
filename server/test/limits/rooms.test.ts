/**
 * Caps on rooms and participants, and idle rooms leaving memory (limits.ts).
 */
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { limitsFromEnv, DEFAULT_LIMITS, MAX_PARTICIPANTS_CEILING } from '../../src/limits';
import { MemoryEventLog } from '../../src/room/event-log';
import type { Room } from '../../src/room/room';
import { SessionRegistry } from '../../src/sessions/registry';
import { startServer, TEST_LIMITS, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState } from '../helpers/session';
import { emitAck, ok, once, waitUntil } from '../helpers/sockets';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

test('a session holds limits.maxParticipantsPerRoom students', async () => {
  server = await startServer({ limits: { maxParticipantsPerRoom: 3 } });
  const host = await createSession(server);
  for (const name of ['A', 'B', 'C']) await joinSession(server, host.code, name);
  const late = await server.connect();
  const reply = await emitAck(late, 'session:join', { code: host.code, name: 'D' });
  expect(reply).toMatchObject({
    ok: false,
    error: { code: 'busy', message: 'This session is full (3 participants).' },
  });
  expect(serverState(server, host.code).participants).toHaveLength(3);
});

test('the server holds limits.maxRooms sessions', async () => {
  server = await startServer({ limits: { maxRooms: 2 } });
  await createSession(server);
  await createSession(server);
  const reply = await emitAck(await server.connect(), 'session:create', {});
  expect(reply).toMatchObject({ ok: false, error: { code: 'busy' } });
  expect(server.app.sessions.size).toBe(2);
});

describe('idle rooms', () => {
  function registry(now: () => number, disposed: [Room, string][]) {
    return new SessionRegistry({
      clock: { now },
      logger: pino({ level: 'silent' }),
      createLog: () => new MemoryEventLog(),
      broadcast: () => undefined,
      limits: { ...TEST_LIMITS, roomIdleMs: 2 * 3600_000 },
      onDispose: (room, reason) => disposed.push([room, reason]),
    });
  }

  test('a room without sockets for 2 hours is disposed; its timers stop; the hook is told', async () => {
    let now = 1_000_000;
    const disposed: [Room, string][] = [];
    const sessions = registry(() => now, disposed);
    server = await startServer({ sessions, clock: { now: () => now } });
    const host = await createSession(server);
    const student = await joinSession(server, host.code, 'Ada');
    await ok(host.socket, 'host:hyper', { speed: 5 });
    await ok(host.socket, 'host:play', { playing: true });
    const room = sessions.get(host.code)!;
    expect(room.play.running).toBe(true);

    // Connected: never idle, however long.
    expect(sessions.sweepIdle()).toEqual([]);
    now += 10 * 3600_000;
    expect(sessions.sweepIdle()).toEqual([]);

    host.socket.disconnect();
    student.socket.disconnect();
    await waitUntil(() => room.socketCount === 0);
    expect(sessions.sweepIdle()).toEqual([]); // first seen empty now
    now += 2 * 3600_000 - 1;
    expect(sessions.sweepIdle()).toEqual([]);
    now += 1;
    expect(sessions.sweepIdle()).toEqual([host.code]);
    expect(sessions.get(host.code)).toBeUndefined();
    expect(room.play.running).toBe(false);
    expect(disposed).toEqual([[room, 'idle']]);
    // The code is gone for everyone.
    const reply = await emitAck(await server.connect(), 'session:resume', {
      code: host.code,
      token: host.hostToken,
      lastSeq: 0,
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  test('a reconnect before the deadline starts the count again', async () => {
    let now = 0;
    const sessions = registry(() => now, []);
    server = await startServer({ sessions, clock: { now: () => now } });
    const host = await createSession(server);
    host.socket.disconnect();
    await waitUntil(() => sessions.get(host.code)!.socketCount === 0);
    sessions.sweepIdle();
    now += 3600_000;
    const back = await server.connect();
    await ok(back, 'session:resume', { code: host.code, token: host.hostToken, lastSeq: 0 });
    sessions.sweepIdle();
    back.disconnect();
    await waitUntil(() => sessions.get(host.code)!.socketCount === 0);
    sessions.sweepIdle();
    now += 2 * 3600_000 - 1;
    expect(sessions.sweepIdle()).toEqual([]);
    now += 1;
    expect(sessions.sweepIdle()).toEqual([host.code]);
  });

  test('a session whose creator left before the answer is freed at once', async () => {
    server = await startServer();
    const socket = await server.connect();
    const closed = once(socket, 'disconnect');
    (socket.emit as (e: string, ...a: unknown[]) => void)('session:create', {}, () => undefined);
    socket.disconnect();
    await closed;
    await waitUntil(() => server.app.sessions.size === 0);
  });
});

describe('limitsFromEnv', () => {
  test('defaults, overrides and refusals', () => {
    expect(limitsFromEnv({})).toEqual(DEFAULT_LIMITS);
    const limits = limitsFromEnv({
      MAX_PARTICIPANTS: '250',
      MAX_ROOMS: '10',
      ROOM_IDLE_MINUTES: '30',
      EVENTS_PER_SECOND: '20',
      JOIN_FAILURES_PER_IP: '500',
      SESSIONS_PER_IP: '300',
    });
    expect(limits.commands['session:create']).toMatchObject({ points: 300, seconds: 600 });
    // The defaults are a template: overriding one server's limits leaves them alone.
    expect(DEFAULT_LIMITS.commands['session:create']?.points).toBe(20);
    expect(() => limitsFromEnv({ SESSIONS_PER_IP: '0' })).toThrow(/SESSIONS_PER_IP/);
    expect(limits).toMatchObject({
      maxParticipantsPerRoom: 250,
      maxRooms: 10,
      roomIdleMs: 30 * 60_000,
      events: { perSecond: 20, burst: 20 },
      joinFailuresPerIp: { points: 500 },
    });
    expect(() => limitsFromEnv({ MAX_PARTICIPANTS: String(MAX_PARTICIPANTS_CEILING + 1) })).toThrow(
      /MAX_PARTICIPANTS must be an integer from 1 to 1000/,
    );
    expect(() => limitsFromEnv({ ROOM_IDLE_MINUTES: 'soon' })).toThrow(/ROOM_IDLE_MINUTES/);
    expect(() => limitsFromEnv({ EVENTS_PER_SECOND: '10', EVENT_BURST: '5' })).toThrow(
      /EVENT_BURST/,
    );
  });
});
