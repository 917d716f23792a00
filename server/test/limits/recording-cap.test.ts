/**
 * The recording budget is a hard cap (recording-budget.ts): past the training budget only
 * what a lesson does besides training is recorded (joins, markers, the title…), past the
 * hard cap only what ends a session; every other command that would record is refused
 * with a clear message and changes nothing, and the session can still end. The recording's
 * size is faked (a real 63 MiB recording takes minutes to make); the commands are real.
 */
import { afterEach, expect, test } from 'vitest';
import type { Room } from '../../src/room/room';
import { HARD_CAP_BYTES, TRAINING_BUDGET_BYTES } from '../../src/room/recording-budget';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState } from '../helpers/session';
import { emitAck, ok, waitUntil } from '../helpers/sockets';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

function recordingAt(room: Room, bytes: number): void {
  Object.defineProperty(room, 'recordedBytes', { get: () => bytes, configurable: true });
}

const FULL = /recording is full/;

test('past the training budget: no training, but the lesson goes on', async () => {
  server = await startServer();
  const host = await createSession(server);
  const room = server.app.sessions.get(host.code)!;
  recordingAt(room, TRAINING_BUDGET_BYTES);
  for (const [command, payload] of [
    ['host:reset', {}],
    [
      'host:setup',
      {
        datasetId: 'houses',
        hidden: [4],
        activations: ['tanh', 'linear'],
        trainBiases: true,
        seed: 2,
        normalize: true,
        testFraction: 0.2,
      },
    ],
    ['host:edit-weight', { layer: 1, to: 0, from: 0, value: 0.5 }],
  ] as const) {
    const before = serverState(server, host.code).seq;
    const reply = await emitAck(host.socket, command, payload);
    expect(reply, command).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect((reply as { error: { message: string } }).error.message).toMatch(FULL);
    expect(serverState(server, host.code).seq).toBe(before);
  }
  await joinSession(server, host.code, 'Ada');
  await ok(host.socket, 'host:marker', { label: 'Questions' });
  expect(serverState(server, host.code).participants).toHaveLength(1);
});

test('past the hard cap: commands that would record are refused, nothing changes, the end still works', async () => {
  server = await startServer();
  const host = await createSession(server);
  const student = await joinSession(server, host.code, 'Ada');
  const room = server.app.sessions.get(host.code)!;
  recordingAt(room, HARD_CAP_BYTES);
  const before = serverState(server, host.code);

  for (const [command, payload] of [
    ['host:marker', { label: 'One more' }],
    ['host:title', { title: 'Renamed' }],
    ['host:lock', { locked: true }],
    ['host:kick', { participantId: student.participantId }],
  ] as const) {
    const reply = await emitAck(host.socket, command, payload);
    expect(reply, command).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect((reply as { error: { message: string } }).error.message).toMatch(FULL);
  }
  const joined = await emitAck(await server.connect(), 'session:join', {
    code: host.code,
    name: 'Grace',
  });
  expect(joined).toMatchObject({ ok: false, error: { code: 'busy' } });
  // Someone leaving is no longer recorded either; their place is kept.
  student.socket.disconnect();
  await waitUntil(() => room.socketCount === 1);
  expect(serverState(server, host.code)).toEqual(before);

  await ok(host.socket, 'host:end', {});
  const after = serverState(server, host.code);
  expect(after.ended).toBe(true);
  // Only what ends it: the exact network (settle) and the end.
  await host.mirror.reach(after.seq);
  const tail = host.mirror.received.filter((e) => e.seq > before.seq).map((e) => e.type);
  expect(tail.at(-1)).toBe('ended');
  expect(tail.every((type) => type === 'progressed' || type === 'ended')).toBe(true);
});
