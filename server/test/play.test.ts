import { afterEach, beforeEach, expect, test } from 'vitest';
import { startServer, type TestServer } from './helpers/server';
import { createSession, joinSession, serverState } from './helpers/session';
import { ok, waitForEvent, waitUntil } from './helpers/sockets';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

const SPEED = 1000;
const MAX_FRAMES_PER_SECOND = 20;

test('play at 1000 steps/s: at most 20 frames a second, and about 1000 steps a second', async () => {
  const host = await createSession(server);
  const student = await joinSession(server, host.code, 'Ada');
  await ok(host.socket, 'host:hyper', { speed: SPEED, batchSize: 4 });

  const startedAt = performance.now();
  await ok(host.socket, 'host:play', { playing: true });
  // Play for about 1.5 s: the condition is the step count, the bound keeps it finite.
  await waitUntil(() => serverState(server, host.code).step >= 1.5 * SPEED, 10_000);
  await ok(host.socket, 'host:play', { playing: false });
  const seconds = (performance.now() - startedAt) / 1000;

  const state = serverState(server, host.code);
  await student.mirror.reach(state.seq);
  expect(student.mirror.state).toEqual(state);
  expect(student.mirror.gaps + student.mirror.duplicates).toBe(0);

  const frames = student.mirror.received.filter((e) => e.type === 'frame');
  // Frames per second, over the whole window and in every one-second window of server time.
  expect(frames.length).toBeLessThanOrEqual(MAX_FRAMES_PER_SECOND * seconds + 1);
  for (const first of frames) {
    const inWindow = frames.filter((e) => e.t >= first.t && e.t < first.t + 1000).length;
    expect(inWindow).toBeLessThanOrEqual(MAX_FRAMES_PER_SECOND + 1);
  }
  // Steps: about speed × time (the first frame comes after one frame's wait).
  expect(state.step).toBeGreaterThanOrEqual(0.7 * SPEED * seconds);
  expect(state.step).toBeLessThanOrEqual(1.05 * SPEED * seconds + 50);
  // One loss point per frame, with a test loss (houses keeps 40 test rows); the fit's
  // predictions at most once a second.
  for (const frame of frames) {
    if (frame.type !== 'frame') continue;
    expect(frame.loss).toEqual(expect.any(Number));
    expect(frame.test).toEqual(expect.any(Number));
  }
  const withFit = frames.filter((e) => e.type === 'frame' && e.fit !== undefined);
  expect(withFit.length).toBeGreaterThanOrEqual(1);
  expect(withFit.length).toBeLessThanOrEqual(seconds + 1);
  expect(state.loss).toHaveLength(frames.length);
  // The pause recorded the exact network: what the training goes on from.
  expect(state.network).toEqual(server.app.sessions.get(host.code)!.training.network());
  expect(state.loss.at(-1)!.step).toBe(state.step);
  expect(state).toMatchObject({ playing: false, trace: null });
  expect(state.loss.at(-1)!.train).toBeLessThan(state.loss[0]!.train);

  // Paused means paused: the next event is the next command's, nothing from the timer.
  expect(server.app.sessions.get(host.code)!.play.running).toBe(false);
  const next = waitForEvent(host.socket);
  await ok(host.socket, 'host:title', { title: 'After the pause' });
  expect(await next).toMatchObject({ type: 'title-set', seq: state.seq + 1 });
});

test('pausing sends play-changed; speed changes apply while playing; reset stops play', async () => {
  const host = await createSession(server);
  await ok(host.socket, 'host:hyper', { speed: 20 });
  const started = waitForEvent(host.socket, (e) => e.type === 'play-changed');
  await ok(host.socket, 'host:play', { playing: true });
  expect(await started).toMatchObject({ playing: true });
  await ok(host.socket, 'host:play', { playing: true }); // already playing: nothing new
  await waitForEvent(host.socket, (e) => e.type === 'frame');
  await ok(host.socket, 'host:hyper', { speed: 1000 });
  await waitUntil(() => serverState(server, host.code).step >= 100);
  await ok(host.socket, 'host:reset', {});
  const state = serverState(server, host.code);
  expect(state).toMatchObject({ playing: false, step: 0 });
  expect(server.app.sessions.get(host.code)!.play.running).toBe(false);

  await ok(host.socket, 'host:play', { playing: true });
  const paused = waitForEvent(host.socket, (e) => e.type === 'play-changed' && !e.playing);
  await ok(host.socket, 'host:play', { playing: false });
  await paused;
});

test('play first finishes an open staged step', async () => {
  const host = await createSession(server);
  await ok(host.socket, 'host:step', { granularity: 'stage' });
  await ok(host.socket, 'host:step', { granularity: 'stage' });
  await ok(host.socket, 'host:play', { playing: true });
  await ok(host.socket, 'host:play', { playing: false });
  await host.mirror.reach(serverState(server, host.code).seq);
  const types = host.mirror.received.map((e) => e.type);
  expect(types.indexOf('play-changed')).toBeGreaterThan(types.lastIndexOf('stage-ran'));
  expect(serverState(server, host.code).step).toBeGreaterThanOrEqual(1);
});

test('a divergence during play leaves the exact network and a fit of the last applied step', async () => {
  // At 20 steps a second every frame runs one step, so the refused step is alone in its
  // frame: before, the state kept the last frame's rounded network and a fit up to a second
  // old (a near-perfect plot next to an exploded loss).
  const host = await createSession(server);
  const student = await joinSession(server, host.code, 'Ada');
  await ok(host.socket, 'host:hyper', { speed: 20, learningRate: 3, batchSize: 16 });
  const diverged = waitForEvent(host.socket, (e) => e.type === 'diverged', 20_000);
  await ok(host.socket, 'host:play', { playing: true });
  await diverged;
  const state = serverState(server, host.code);
  const training = server.app.sessions.get(host.code)!.training;
  expect(state.step).toBeGreaterThan(1);
  expect(state).toMatchObject({ playing: false, diverged: { step: state.step + 1 } });
  expect(state.network).toEqual(training.network());
  expect(state.fit).toEqual({ ...training.fit(), step: state.step });
  expect(state.loss.at(-1)!.step).toBe(state.step);
  await student.mirror.reach(state.seq);
  expect(student.mirror.state).toEqual(state);
}, 30_000);
