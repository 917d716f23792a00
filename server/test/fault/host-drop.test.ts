/**
 * The instructor's connection drops mid-play. Decision: play goes on (students keep
 * watching the network learn; a phone or laptop blip must not stop the class), the room
 * keeps its state, everyone sees that the host is offline, and the host takes control
 * again by resuming with the host token.
 */
import { afterEach, expect, test } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState } from '../helpers/session';
import { Mirror, ok, once, waitForEvent, waitUntil } from '../helpers/sockets';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

test('play goes on while the host is away; the host resumes control', async () => {
  server = await startServer();
  const host = await createSession(server);
  const student = await joinSession(server, host.code, 'Ada');
  await ok(host.socket, 'host:hyper', { speed: 200 });
  await ok(host.socket, 'host:play', { playing: true });
  await waitForEvent(student.socket, (e) => e.type === 'frame');

  // The transport dies (no goodbye from socket.io): Wi-Fi gone, laptop lid closed.
  const dropped = once(host.socket, 'disconnect');
  host.socket.io.engine.close();
  await dropped;
  await waitForEvent(student.socket, (e) => e.type === 'host-connection' && !e.connected);
  const stepWhenDropped = serverState(server, host.code).step;
  for (let k = 0; k < 3; k++) await waitForEvent(student.socket, (e) => e.type === 'frame');
  const away = serverState(server, host.code);
  expect(away).toMatchObject({ playing: true, hostConnected: false });
  expect(away.step).toBeGreaterThan(stepWhenDropped);
  // Nobody else can take over meanwhile.
  const taken = await student.socket.emitWithAck('host:play', { playing: false });
  expect(taken).toMatchObject({ ok: false, error: { code: 'forbidden' } });

  // Back on a new connection, with the host token and the last seq it had.
  const back = await server.connect();
  const mirror = new Mirror(back);
  mirror.state = host.mirror.state;
  const resumed = await ok(back, 'session:resume', {
    code: host.code,
    token: host.hostToken,
    lastSeq: host.mirror.seq,
  });
  mirror.sync(resumed.sync);
  expect(resumed.role).toBe('host');
  await ok(back, 'host:play', { playing: false });
  const final = serverState(server, host.code);
  expect(final).toMatchObject({ playing: false, hostConnected: true });
  await mirror.reach(final.seq);
  await student.mirror.reach(final.seq);
  expect(mirror.state).toEqual(final);
  expect(student.mirror.state).toEqual(final);
  expect(student.mirror.gaps + student.mirror.duplicates).toBe(0);
  expect(mirror.gaps + mirror.duplicates).toBe(0);
  await waitUntil(() => !server.app.sessions.get(host.code)!.play.running);
});
