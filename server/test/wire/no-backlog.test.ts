/**
 * No backlog, ever (issue 16; server/src/socket/outbox.ts), with real socket.io clients on
 * 127.0.0.1: a client that handles a message of frames in 300 ms (a phone throttled ×20)
 * gets fewer frames, never late ones, and every other event in order, while the clients
 * that keep up get every frame; and 200 clients that never take a frame cost the server a
 * bounded outbox and write buffer each, however long play runs.
 */
import { afterEach, expect, test } from 'vitest';
import type { SessionEvent } from '@backprop/shared/session';
import { outboxOf } from '../../src/socket/fan-out';
import { startServer, type Client, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState } from '../helpers/session';
import { storeOf } from '../helpers/recordings';
import { Mirror, ok, waitUntil } from '../helpers/sockets';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

/** Play at 1000 steps/s until `steps` more steps, marking a moment every `markEvery` steps. */
async function playWithMarkers(code: string, host: Client, steps: number, markEvery: number) {
  const from = serverState(server, code).step;
  await ok(host, 'host:hyper', { speed: 1000 });
  await ok(host, 'host:play', { playing: true });
  let markers = 0;
  for (let at = from + markEvery; at <= from + steps; at += markEvery) {
    await waitUntil(() => serverState(server, code).step >= at, 15_000);
    await ok(host, 'host:marker', { label: `m${++markers}` });
  }
  await ok(host, 'host:play', { playing: false });
  return markers;
}

test('a slow client stays within a second of the server, misses no other event, and the others get every frame', async () => {
  server = await startServer();
  const host = await createSession(server);
  const fast = [
    await joinSession(server, host.code, 'Ada'),
    await joinSession(server, host.code, 'Bob'),
  ];
  const socket = await server.connect();
  const slow = new Mirror(socket, { ackDelayMs: 300 });
  const joined = await ok(socket, 'session:join', { code: host.code, name: 'Slow' });
  slow.sync(joined.sync);
  // How far behind the server each frame is when the slow client gets it.
  const behind: number[] = [];
  socket.on('session:events', (events) => {
    for (const event of events) {
      if (event.type === 'frame') behind.push(serverState(server, host.code).step - event.step);
    }
  });

  const markers = await playWithMarkers(host.code, host.socket, 3000, 500);
  const state = serverState(server, host.code);
  await slow.reach(state.seq);
  for (const student of fast) await student.mirror.reach(state.seq);

  const frames = (events: SessionEvent[]) => events.filter((e) => e.type === 'frame').length;
  const sent = (await storeOf(server).eventsSince(host.code, 0)).filter(
    (e) => e.type === 'frame',
  ).length;
  for (const { mirror } of fast) {
    expect(mirror.skippedFrames).toBe(0);
    expect(frames(mirror.received)).toBe(sent);
    expect(mirror.state).toEqual(state);
  }
  // The slow one got about 3 frames a second of play, the rest were dropped, not queued.
  expect(slow.skippedFrames).toBeGreaterThan(sent / 2);
  expect(frames(slow.received) + slow.skippedFrames).toBe(sent);
  expect(Math.max(...behind)).toBeLessThanOrEqual(1000);
  // Nothing else missed or reordered: no gap, no duplicate, every marker in seq order.
  expect(slow.gaps + slow.duplicates).toBe(0);
  const seqs = slow.received.map((e) => e.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(slow.received.filter((e) => e.type === 'marker')).toHaveLength(markers);
  const since = joined.sync.kind === 'snapshot' ? joined.sync.state.seq : 0;
  const others = (events: SessionEvent[]) =>
    events.filter((e) => e.type !== 'frame' && e.seq > since);
  expect(others(slow.received)).toEqual(others(fast[0]!.mirror.received));
  // Its state is the server's, but for the loss points of the frames it never got.
  expect(slow.state!.loss.length).toBeLessThan(state.loss.length);
  expect({ ...slow.state!, loss: [] }).toEqual({ ...state, loss: [] });
}, 60_000);

test('200 clients that never take a frame: two frames in flight and one waiting each, nothing piling up', async () => {
  server = await startServer();
  const host = await createSession(server);
  const stuck = [];
  for (let k = 0; k < 200; k++) {
    const socket = await server.connect();
    // Listens, but never acknowledges: the page is frozen.
    let frames = 0;
    socket.on('session:events', (events) => {
      frames += events.filter((e) => e.type === 'frame').length;
    });
    await ok(socket, 'session:join', { code: host.code, name: `Stuck ${k}` });
    stuck.push({ socket, frames: () => frames });
  }
  const studentIds = new Set(
    [...server.app.io.sockets.sockets.values()]
      .filter((s) => s.data.membership?.identity.role === 'student')
      .map((s) => s.id),
  );
  expect(studentIds.size).toBe(200);

  const bufferedPerSocket = (): number[] =>
    [...server.app.io.sockets.sockets.values()]
      .filter((s) => studentIds.has(s.id))
      .map((s) => {
        // engine.io's packets not yet written, and the bytes `ws` holds for the kernel.
        const conn = s.conn as unknown as {
          writeBuffer: unknown[];
          transport: { socket?: { bufferedAmount?: number } };
        };
        return 1000 * conn.writeBuffer.length + (conn.transport.socket?.bufferedAmount ?? 0);
      });
  const samples: number[] = [];
  const waiting: number[] = [];
  const waitingFrames: number[] = [];
  const sampler = setInterval(() => {
    samples.push(Math.max(...bufferedPerSocket()));
    for (const s of server.app.io.sockets.sockets.values()) {
      if (!studentIds.has(s.id)) continue;
      waiting.push(outboxOf(s).waiting);
      waitingFrames.push(outboxOf(s).waitingFrames);
    }
  }, 100);
  await ok(host.socket, 'host:hyper', { speed: 1000 });
  await ok(host.socket, 'host:play', { playing: true });
  const from = serverState(server, host.code).step;
  await waitUntil(() => serverState(server, host.code).step >= from + 3000, 20_000);
  await ok(host.socket, 'host:play', { playing: false });
  clearInterval(sampler);

  const sent = (await storeOf(server).eventsSince(host.code, 0)).filter(
    (e) => e.type === 'frame',
  ).length;
  expect(sent).toBeGreaterThan(40);
  // Two frames went out; the next waits for an ack that never comes (or its 5 s timeout).
  for (const client of stuck) expect(client.frames()).toBeLessThanOrEqual(4);
  expect(Math.max(...waitingFrames)).toBe(1);
  // Behind the waiting frame, only what play's own commands add (play-changed, hyper-changed).
  expect(Math.max(...waiting)).toBeLessThanOrEqual(3);
  // Waiting in a socket's buffers (a packet counted as 1000 bytes): a few frames at most.
  expect(Math.max(...samples)).toBeLessThan(4096);
}, 120_000);
