/**
 * Play is bounded whatever the network: frames of a big network carry its weights only as
 * often as the frame budget allows (the rest: steps and losses), every client reduces them
 * to the server's state and says how old the weights are, the recording still verifies;
 * a full recording stops play with a marker; one address keeps only so many rooms playing.
 */
import { afterEach, expect, test } from 'vitest';
import type { SessionEvent } from '@backprop/shared/session';
import { paramCount } from '@backprop/shared/session';
import { PARAMS_PER_SECOND } from '../src/room/frames';
import { BUDGET_MARKER, TRAINING_BUDGET_BYTES } from '../src/room/recording-budget';
import { getJson, replayIdOf } from './helpers/recordings';
import { startServer, type TestServer } from './helpers/server';
import { createSession, joinSession, serverState, type Host } from './helpers/session';
import { emitAck, ok, waitUntil } from './helpers/sockets';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const LARGEST = [64, 64, 64, 64, 64, 64];

async function largest(host: Host): Promise<void> {
  await ok(host.socket, 'host:setup', {
    datasetId: 'houses',
    hidden: LARGEST,
    activations: [...LARGEST.map(() => 'tanh' as const), 'linear' as const],
    trainBiases: true,
    seed: 1,
    normalize: true,
    testFraction: 0.2,
  });
  await ok(host.socket, 'host:hyper', { speed: 1000, batchSize: 4 });
}

test('frames of the largest network carry its weights within the budget; clients match; it verifies', async () => {
  server = await startServer();
  const host = await createSession(server);
  const student = await joinSession(server, host.code, 'Ada');
  await largest(host);
  const layers = serverState(server, host.code).setup.layers;

  await ok(host.socket, 'host:play', { playing: true });
  const framesNow = () =>
    student.mirror.received.filter(
      (e): e is Extract<SessionEvent, { type: 'frame' }> => e.type === 'frame',
    );
  // The weights come once their budget allows (every ~14 s for this network), then a few
  // frames more.
  await waitUntil(() => framesNow().some((f) => f.params), 40_000);
  const afterWeights = framesNow().length;
  await waitUntil(() => framesNow().length >= afterWeights + 3, 20_000);
  // While playing, a frame without weights leaves the older ones, marked as such.
  const frames = framesNow();
  // Play starts from the exact network every client has: the first frame need not repeat it.
  expect(frames[0]!.params).toBeUndefined();
  const withWeights = frames.filter((f) => f.params);
  expect(withWeights[0]!.params).toHaveLength(paramCount(layers));
  const playedAt = student.mirror.received.find((e) => e.type === 'play-changed')!.t;
  expect(withWeights[0]!.t - playedAt).toBeGreaterThanOrEqual(
    (1000 * paramCount(layers)) / PARAMS_PER_SECOND - 100,
  );
  const seconds = (frames.at(-1)!.t - frames[0]!.t) / 1000;
  expect(withWeights.length).toBeLessThanOrEqual(
    Math.ceil((seconds * PARAMS_PER_SECOND) / paramCount(layers)),
  );
  const last = frames.at(-1)!;
  if (!last.params) {
    await student.mirror.reach(last.seq);
    expect(student.mirror.state!.networkStep).toBe(withWeights.at(-1)!.step);
  }

  await ok(host.socket, 'host:play', { playing: false });
  const state = serverState(server, host.code);
  await student.mirror.reach(state.seq);
  expect(student.mirror.state).toEqual(state);
  // Paused: the exact, current network.
  expect(state.networkStep).toBeUndefined();

  const verdict = await getJson(
    server,
    `/api/recordings/${await replayIdOf(server, host)}/verify`,
    {
      method: 'POST',
    },
  );
  expect(verdict.body).toMatchObject({ ok: true });
}, 60_000);

test('a full recording stops play with a marker, and refuses more training', async () => {
  server = await startServer();
  const host = await createSession(server);
  await ok(host.socket, 'host:hyper', { speed: 1000 });
  const room = server.app.sessions.get(host.code)!;
  await ok(host.socket, 'host:play', { playing: true });
  await waitUntil(() => room.state.step > 0);
  // As if the recording had grown to the budget: the next frame stops play.
  Object.defineProperty(room, 'recordedBytes', { get: () => TRAINING_BUDGET_BYTES });
  await waitUntil(() => !room.state.playing);
  await host.mirror.reach(room.state.seq);
  const tail = host.mirror.received.slice(-2);
  expect(tail.map((e) => e.type)).toEqual(['marker', 'play-changed']);
  expect(tail[0]).toMatchObject({ label: BUDGET_MARKER });

  for (const [command, payload] of [
    ['host:play', { playing: true }],
    ['host:step', { granularity: 'batch' }],
  ] as const) {
    const reply = await emitAck(host.socket, command, payload);
    expect(reply).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect((reply as { error: { message: string } }).error.message).toMatch(/recording is full/);
  }
  expect(room.state.playing).toBe(false);
});

test('one address keeps at most maxPlayingRoomsPerIp rooms playing', async () => {
  server = await startServer({ limits: { maxPlayingRoomsPerIp: 2 } });
  const hosts = [];
  for (let k = 0; k < 3; k++) hosts.push(await createSession(server));
  await ok(hosts[0]!.socket, 'host:play', { playing: true });
  await ok(hosts[1]!.socket, 'host:play', { playing: true });
  const refused = await emitAck(hosts[2]!.socket, 'host:play', { playing: true });
  expect(refused).toMatchObject({ ok: false, error: { code: 'busy' } });
  expect(serverState(server, hosts[2]!.code).playing).toBe(false);
  // Pausing one frees its place.
  await ok(hosts[0]!.socket, 'host:play', { playing: false });
  await ok(hosts[2]!.socket, 'host:play', { playing: true });
  expect(serverState(server, hosts[2]!.code).playing).toBe(true);
});
