/**
 * The standalone verifier (tools/resim/resim.mjs, written from docs/resimulation.md alone)
 * and `cli verify` on playground recordings a real server exports: every plane data set,
 * features, L1 and L2 (staged steps, epochs, play, a race whose forks regularize too),
 * sigmoid and tanh outputs. Both must verify them, and both must catch the same forged value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FeatureName } from '@backprop/shared/data';
import type { Payload } from '@backprop/shared/protocol';
import type { SessionEvent } from '@backprop/shared/session';
import { play, replayIdOf } from '../helpers/recordings';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, serverState } from '../helpers/session';
import { ok, waitUntil } from '../helpers/sockets';
import { forged, resim, tempFile, verify } from '../helpers/verifiers';

let server: TestServer;
let file: string;

function setup(payload: Partial<Payload<'host:setup'>>): Payload<'host:setup'> {
  return {
    datasetId: 'circle',
    hidden: [4],
    activations: ['tanh', 'tanh'],
    trainBiases: true,
    seed: 2,
    dataSeed: 9,
    normalize: false,
    testFraction: 0.25,
    plane: { noise: 0.1, points: 120, features: ['x1', 'x2'] },
    ...payload,
  };
}

beforeAll(async () => {
  server = await startServer();
  const host = await createSession(server, 'Playground tour');
  const step = (granularity: 'stage' | 'sample' | 'batch' | 'epoch') =>
    ok(host.socket, 'host:step', { granularity });
  const plane = (features: FeatureName[]) => ({
    noise: 0.3,
    points: 90,
    features,
  });
  // Circle, sigmoid output (0 / 1 targets), L1: staged steps, a batch, an epoch, play.
  await ok(
    host.socket,
    'host:setup',
    setup({
      activations: ['tanh', 'sigmoid'],
      plane: { noise: 0.1, points: 120, features: ['x1sq', 'x2sq'] },
      regularization: { kind: 'l1', rate: 0.02 },
    }),
  );
  await ok(host.socket, 'host:hyper', { learningRate: 0.1, batchSize: 5 });
  for (let k = 0; k < 7; k++) await step('stage');
  await step('sample');
  await step('batch');
  await step('epoch');
  await play(server, host, 100);
  // A race: its forks regularize like the run.
  const race = await ok(host.socket, 'host:race', { rates: [0.01, 0.3], steps: 30 });
  await waitUntil(() => serverState(server, host.code).participation.race?.status === 'finished');
  expect(race.raceId).toBeTruthy();
  await ok(host.socket, 'host:race-adopt', { fork: 1, what: 'weights' });
  await step('batch');
  // Every other plane data set, with features and L2 or none.
  const others: Partial<Payload<'host:setup'>>[] = [
    { datasetId: 'quadrants', plane: plane(['x1', 'x2', 'x1x2']) },
    {
      datasetId: 'gaussians',
      plane: plane(['x1', 'x2']),
      regularization: { kind: 'l2', rate: 0.05 },
    },
    {
      datasetId: 'spiral',
      hidden: [6, 6],
      activations: ['tanh', 'tanh', 'tanh'],
      plane: plane(['x1', 'x2', 'sin1', 'sin2']),
      regularization: { kind: 'l2', rate: 0.01 },
    },
    {
      datasetId: 'plane',
      activations: ['tanh', 'linear'],
      plane: plane(['x1', 'x2']),
      regularization: { kind: 'l1', rate: 0.001 },
    },
    { datasetId: 'gaussian-mix', hidden: [8], plane: plane(['x1', 'x2', 'x1sq', 'x2sq']) },
  ];
  for (const other of others) {
    await ok(host.socket, 'host:setup', setup(other));
    await step('sample');
    await step('epoch');
    await play(server, host, 40);
  }
  await ok(host.socket, 'host:end', {});
  file = await (
    await fetch(`${server.url}/api/recordings/${await replayIdOf(server, host)}/export`)
  ).text();
}, 120_000);
afterAll(async () => {
  await server.close();
});

test('the tour has every plane data set, both regularizations and a race', () => {
  const events = file
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line) as SessionEvent);
  const setups = events.flatMap((e) => (e.type === 'setup-changed' ? [e.setup] : []));
  expect(setups.map((s) => s.datasetId)).toEqual([
    'circle',
    'quadrants',
    'gaussians',
    'spiral',
    'plane',
    'gaussian-mix',
  ]);
  expect(new Set(setups.map((s) => s.regularization?.kind))).toEqual(
    new Set(['l1', 'l2', undefined]),
  );
  for (const type of ['stage-ran', 'stepped', 'progressed', 'frame', 'race-progress']) {
    expect(events.some((e) => e.type === type)).toBe(true);
  }
});

test('resim.mjs and cli verify both verify it', async () => {
  const path = tempFile(file);
  const [independent, ours] = [await resim(path), verify(path)];
  expect(ours).toEqual({ code: 0, reply: { ok: true, checked: expect.any(Number) } });
  expect(independent).toEqual({ code: 0, reply: { ok: true, checked: expect.any(Number) } });
});

test.each([
  [
    'a step’s penalty',
    (e: SessionEvent) => e.type === 'stepped' && e.progress.penalty !== undefined,
  ],
  ['a frame’s accuracy', (e: SessionEvent) => e.type === 'frame' && e.accuracy !== undefined],
  ['an opened trace’s penalty', (e: SessionEvent) => e.type === 'staged-step-opened'],
])('both catch %s forged, at the same event', async (_, pick) => {
  const { text, seq } = forged(file, pick, (event) => {
    if (event.type === 'stepped') event.progress.penalty = event.progress.penalty! + 0.5;
    if (event.type === 'frame') event.accuracy = { train: 0.01, test: 0.01 };
    if (event.type === 'staged-step-opened') event.trace.penalty = 123;
  });
  const path = tempFile(text);
  const [independent, ours] = [await resim(path), verify(path)];
  expect(ours.code).toBe(1);
  expect(independent.code).toBe(1);
  const seqOf = (v: { reply: unknown }) =>
    (v.reply as { firstDivergence: { seq: number; what: string } }).firstDivergence;
  expect(seqOf(independent).seq).toBe(seq);
  expect(seqOf(ours).seq).toBe(seq);
  expect(seqOf(independent).what).toBe(seqOf(ours).what);
});

// A recording made when plane data, features and regularization came in (format version 1):
// it must keep loading, importing and verifying as the code changes.
const FIXTURE = join(import.meta.dirname, 'fixtures/playground-v1.ndjson');

test('the playground fixture imports and verifies with both checkers', async () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const reply = await fetch(`${server.url}/api/recordings/import`, { method: 'POST', body: text });
  expect(reply.status).toBe(201);
  const { replayId } = (await reply.json()) as { replayId: string };
  const verified = await fetch(`${server.url}/api/recordings/${replayId}/verify`, {
    method: 'POST',
  });
  expect(await verified.json()).toMatchObject({ ok: true });
  expect(verify(FIXTURE)).toEqual({ code: 0, reply: { ok: true, checked: expect.any(Number) } });
  expect(await resim(FIXTURE)).toEqual({
    code: 0,
    reply: { ok: true, checked: expect.any(Number) },
  });
});
