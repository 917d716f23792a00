/**
 * For the recording tests: a real session driven through the socket protocol with every
 * kind of training command, and plain HTTP calls to the recordings API.
 */
import type { AsyncStore } from '../../src/store';
import type { TestServer } from './server';
import { createSession, joinSession, serverState, type Host } from './session';
import { ok, waitForEvent, waitUntil } from './sockets';

/** The server's store (every test app has one: in memory unless given). */
export function storeOf(server: TestServer): AsyncStore {
  const store = server.app.sessions.store;
  if (!store) throw new Error('this test server has no store');
  return store;
}

/**
 * A lesson: students join, the host steps by stage, sample, batch and epoch, plays a bit,
 * edits a weight, changes the learning rate and batch size, resets, marks a moment, runs
 * a learning-rate race and adopts a fork's weights, changes the setup, diverges (a huge
 * rate on raw house prices), and ends. Every kind of training-bearing event is in it.
 */
export async function driveLesson(server: TestServer, options: { end?: boolean } = {}) {
  const host = await createSession(server, 'Week 3: backprop');
  const ada = await joinSession(server, host.code, 'Ada');
  await joinSession(server, host.code, 'Bob');
  const step = (granularity: 'stage' | 'sample' | 'batch' | 'epoch') =>
    ok(host.socket, 'host:step', { granularity });
  await ok(host.socket, 'host:hyper', { batchSize: 8, learningRate: 0.05 });
  for (let k = 0; k < 3; k++) await step('stage');
  await step('sample');
  for (let k = 0; k < 8; k++) await step('stage'); // finishes one staged step, opens another
  await step('batch');
  await step('epoch');
  await play(server, host, 150);
  await ok(host.socket, 'host:edit-weight', { layer: 0, to: 1, from: 2, value: 0.75 });
  await ok(host.socket, 'host:hyper', { learningRate: 0.2, batchSize: 3 });
  await step('batch');
  await ok(host.socket, 'host:marker', { label: 'Now watch the hidden layer' });
  const focus = { kind: 'weight', layer: 0, to: 1, from: 2 } as const;
  await ok(host.socket, 'host:class-view', { focus, cards: false });
  await play(server, host, 100);
  await ok(host.socket, 'host:class-view', { focus: null });
  const race = await ok(host.socket, 'host:race', { rates: [0.01, 0.3], steps: 40 });
  await waitForEvent(
    host.socket,
    (e) => e.type === 'race-ended' && e.raceId === race.raceId,
    10_000,
  ).catch(() => undefined);
  await waitUntil(() => serverState(server, host.code).participation.race?.status === 'finished');
  await ok(host.socket, 'host:race-adopt', { fork: 1, what: 'weights' });
  await step('sample');
  await ok(host.socket, 'host:reset', {});
  await step('batch');
  await ok(host.socket, 'host:kick', { participantId: ada.participantId });
  await ok(host.socket, 'host:setup', {
    datasetId: 'xor',
    hidden: [3],
    activations: ['tanh', 'sigmoid'],
    trainBiases: true,
    seed: 7,
    normalize: false,
    testFraction: 0,
  });
  await play(server, host, 200);
  await ok(host.socket, 'host:setup', {
    datasetId: 'houses',
    hidden: [4],
    activations: ['linear', 'linear'],
    trainBiases: true,
    seed: 3,
    normalize: false,
    testFraction: 0,
  });
  await ok(host.socket, 'host:hyper', { learningRate: 10, batchSize: 4 });
  // Raw prices at rate 10: the first step explodes, and is refused.
  await ok(host.socket, 'host:step', { granularity: 'batch' }).catch(() => undefined);
  await ok(host.socket, 'host:title', { title: 'Week 3: backprop (done)' });
  if (options.end !== false) await ok(host.socket, 'host:end', {});
  return host;
}

/** Plays until at least `steps` more steps, then pauses. */
export async function play(server: TestServer, host: Host, steps: number): Promise<void> {
  const from = serverState(server, host.code).step;
  await ok(host.socket, 'host:hyper', { speed: 1000 });
  await ok(host.socket, 'host:play', { playing: true });
  await waitUntil(() => serverState(server, host.code).step >= from + steps, 10_000);
  await ok(host.socket, 'host:play', { playing: false });
}

/** The replay id of the host's session. */
export async function replayIdOf(server: TestServer, host: Host): Promise<string> {
  const record = await storeOf(server).session(host.code);
  if (!record) throw new Error(`no recording of ${host.code}`);
  return record.replayId;
}

export async function getJson(
  server: TestServer,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  return {
    status: res.status,
    body: text === '' ? null : (JSON.parse(text) as unknown),
    headers: res.headers,
  };
}
