/**
 * A playground session end to end, with real socket.io clients on a server on port 0: the
 * host picks the spiral with the features x₁, x₂, x₁x₂, sin x₁, sin x₂ and L2, steps and
 * plays; a student sees the setup, penalty and accuracy; the export verifies with
 * `cli verify`, and a forged penalty or accuracy in it is pinpointed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { planeDatasetOf, planePoints } from '@backprop/shared/data';
import { regularizationPenalty } from '@backprop/shared/nn';
import type { SessionEvent, SessionState } from '@backprop/shared/session';
import { cli } from '../helpers/cli';
import { play, replayIdOf } from '../helpers/recordings';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState, type Host } from '../helpers/session';
import { emitAck, ok } from '../helpers/sockets';

const SPIRAL = {
  datasetId: 'spiral',
  hidden: [8, 8],
  activations: ['tanh', 'tanh', 'tanh'],
  trainBiases: true,
  seed: 3,
  dataSeed: 5,
  normalize: false,
  testFraction: 0.3,
  plane: { noise: 0.2, points: 400, features: ['x1', 'x2', 'x1x2', 'sin1', 'sin2'] },
  regularization: { kind: 'l2', rate: 0.01 },
} as const;

let server: TestServer;
let host: Host;
let file: string;
let events: SessionEvent[];
let stateAfterSetup: SessionState;

beforeAll(async () => {
  server = await startServer();
  host = await createSession(server, 'Spirals');
  await joinSession(server, host.code, 'Ada');
  await ok(host.socket, 'host:setup', {
    ...SPIRAL,
    activations: [...SPIRAL.activations],
    hidden: [...SPIRAL.hidden],
    plane: { ...SPIRAL.plane, features: [...SPIRAL.plane.features] },
  });
  stateAfterSetup = serverState(server, host.code);
  await ok(host.socket, 'host:hyper', { learningRate: 0.03, batchSize: 10 });
  await ok(host.socket, 'host:step', { granularity: 'stage' });
  for (let k = 0; k < 8; k++) await ok(host.socket, 'host:step', { granularity: 'stage' });
  await ok(host.socket, 'host:step', { granularity: 'batch' });
  await ok(host.socket, 'host:step', { granularity: 'epoch' });
  await play(server, host, 300);
  await ok(host.socket, 'host:end', {});
  const replayId = await replayIdOf(server, host);
  file = await (await fetch(`${server.url}/api/recordings/${replayId}/export`)).text();
  events = file
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line) as SessionEvent);
}, 60_000);
afterAll(async () => {
  await server.close();
});

function tempFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bpl-spiral-')), 'recording.ndjson');
  writeFileSync(path, text);
  return path;
}

describe('a spiral session with features and L2', () => {
  test('the setup names the features as inputs and keeps plane and regularization', () => {
    const { setup } = stateAfterSetup;
    expect(setup.inputs.map((c) => c.name)).toEqual(['x₁', 'x₂', 'x₁x₂', 'sin x₁', 'sin x₂']);
    expect(setup.layers).toEqual([5, 8, 8, 1]);
    expect(setup.plane).toEqual(SPIRAL.plane);
    expect(setup.regularization).toEqual(SPIRAL.regularization);
    expect(setup.normalize).toBe(false);
    expect([setup.rows, setup.trainRows, setup.testRows]).toEqual([400, 280, 120]);
    // The client regenerates the very points the server trains on.
    const data = planeDatasetOf(setup)!;
    expect(Array.from(data.raw)).toEqual(Array.from(planePoints('spiral', SPIRAL.plane, 5).x));
    expect(data.testRows.length).toBe(120);
  });

  test('steps carry the penalty of their weights and the accuracy', () => {
    const stepped = events.find((e) => e.type === 'stepped');
    if (stepped?.type !== 'stepped') throw new Error('no stepped event');
    const { progress, trace } = stepped;
    expect(progress.penalty).toBe(
      regularizationPenalty(SPIRAL.regularization, progress.network.weights),
    );
    expect(trace.penalty).toBe(regularizationPenalty(SPIRAL.regularization, trace.weightsBefore));
    expect(progress.penalty).toBeGreaterThan(0);
    expect(progress.accuracy!.train).toBeGreaterThan(0);
    expect(progress.accuracy!.train).toBeLessThanOrEqual(1);
    expect(progress.accuracy!.test).not.toBeNull();
    expect(progress.loss[0]).toMatchObject({
      penalty: progress.penalty,
      accuracy: progress.accuracy,
    });
    // The data part of the gradient and the L2 term make the update, weights only.
    const w = trace.weightsBefore[1]![2]![3]!;
    const g = trace.gradWeights[1]![2]![3]!;
    expect(trace.weightsAfter![1]![2]![3]).toBe(w - trace.learningRate * (g + 0.01 * w));
    const b = trace.biasesBefore[0]![1]!;
    expect(trace.biasesAfter![0]![1]).toBe(b - trace.learningRate * trace.gradBiases[0]![1]!);
  });

  test('frames carry the penalty and the accuracy; the state follows them', () => {
    const frames = events.filter((e) => e.type === 'frame');
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) {
      if (f.type !== 'frame') continue;
      expect(f.penalty).toBeGreaterThan(0);
      expect(f.accuracy?.train).toBeGreaterThan(0);
    }
    const state = serverState(server, host.code);
    expect(state.penalty).toBe(regularizationPenalty(SPIRAL.regularization, state.network.weights));
    expect(state.accuracy?.test).not.toBeNull();
    expect(state.loss.at(-1)?.accuracy).toBeDefined();
  });

  test('its export verifies through cli verify', () => {
    const ran = cli(['verify', tempFile(file)]);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ ok: true, checked: expect.any(Number) });
  });

  test('a forged accuracy in a frame and a forged penalty in a step are pinpointed', () => {
    const lines = file.trimEnd().split('\n');
    const forge = (pick: (e: SessionEvent) => boolean, change: (e: SessionEvent) => void) => {
      const k = lines.findIndex((line, i) => i > 0 && pick(JSON.parse(line) as SessionEvent));
      const event = JSON.parse(lines[k]!) as SessionEvent;
      change(event);
      const copy = [...lines];
      copy[k] = JSON.stringify(event);
      return { seq: event.seq, text: `${copy.join('\n')}\n` };
    };
    const frame = forge(
      (e) => e.type === 'frame',
      (e) => {
        if (e.type === 'frame') e.accuracy = { train: 1, test: 1 };
      },
    );
    const bad = cli(['verify', tempFile(frame.text)]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      ok: false,
      firstDivergence: { seq: frame.seq, what: 'accuracy.train', actual: 1 },
    });
    const step = forge(
      (e) => e.type === 'stepped',
      (e) => {
        if (e.type === 'stepped') e.progress.penalty = e.progress.penalty! * 2;
      },
    );
    const worse = cli(['verify', tempFile(step.text)]);
    expect(worse.code).toBe(1);
    expect(JSON.parse(worse.stdout)).toMatchObject({
      ok: false,
      firstDivergence: { seq: step.seq, what: 'progress.penalty' },
    });
  });

  test('bad plane setups are refused with a reason and change nothing', async () => {
    const other = await createSession(server, 'Refusals');
    const before = serverState(server, other.code).seq;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...SPIRAL, plane: undefined }, /needs its noise/],
      [{ ...SPIRAL, datasetId: 'houses', normalize: true }, /only the plane data sets/i],
      [{ ...SPIRAL, plane: { ...SPIRAL.plane, points: 20 } }, /points/],
      [{ ...SPIRAL, plane: { ...SPIRAL.plane, features: ['x1', 'x1'] } }, /twice/],
      [{ ...SPIRAL, regularization: { kind: 'l2', rate: 0.5 } }, /rate/],
    ];
    for (const [payload, reason] of cases) {
      const reply = await emitAck(other.socket, 'host:setup', payload as never);
      expect(reply, JSON.stringify(payload)).toMatchObject({ ok: false });
      expect(JSON.stringify(reply)).toMatch(reason);
    }
    expect(serverState(server, other.code).seq).toBe(before);
  });
});
