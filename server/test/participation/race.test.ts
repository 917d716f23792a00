/**
 * Learning-rate races through the real server: each fork loses exactly what the kernel
 * alone loses at that rate from the same weights on the same batches (bit for bit), a
 * diverging fork stops at its step without a NaN, the session's own network is left alone
 * until the host adopts a rate or a fork's weights, and progress comes at most 20 times a
 * second while the room (and other rooms) keep answering.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  builtinDataset,
  fitNormalizer,
  normalizeDataset,
  splitTrainTest,
  subset,
} from '@backprop/shared/data';
import {
  gatherBatch,
  networkFromArrays,
  networkToArrays,
  SampleOrder,
  Trainer,
} from '@backprop/shared/nn';
import type { LossPoint, SessionEvent, SessionState } from '@backprop/shared/session';
import { EXPLODING_LOSS_FACTOR } from '../../src/training/divergence';
import { percentile } from '../helpers/participation';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, serverState, type Host } from '../helpers/session';
import { emitAck, ok, waitUntil } from '../helpers/sockets';

let server: TestServer;
let host: Host;
beforeEach(async () => {
  server = await startServer();
  host = await createSession(server);
});
afterEach(async () => {
  await server.close();
});

const state = () => serverState(server, host.code);
const race = () => state().participation.race!;

/**
 * The kernel alone: the houses rows prepared as the docs say (split, normalizer fitted on
 * the training rows), the given weights, the seed's sample order advanced past `skipBatches`
 * batches, then `steps` plain Trainer.step calls at `rate`. It stops where the server must
 * refuse a step: a non-finite or exploding loss, or an update the kernel refuses.
 */
function kernelAlone(
  s: SessionState,
  start: SessionState['network'],
  skipBatches: number,
  rate: number,
  steps: number,
  firstLoss: number | null,
) {
  const ds = builtinDataset('houses');
  const split = splitTrainTest(ds.rows, s.setup.testFraction, s.setup.seed);
  const train = subset(normalizeDataset(ds, fitNormalizer(ds, split.train)), split.train);
  const { layers, activations, trainBiases } = s.setup;
  const trainer = new Trainer(
    networkFromArrays({ layers, activations, trainBiases }, start.weights, start.biases),
    256,
  );
  const order = new SampleOrder(train.rows, s.setup.seed);
  const rows = new Uint32Array(256);
  const x = new Float64Array(256 * ds.inputs.length);
  const y = new Float64Array(256 * ds.targets.length);
  const batchSize = s.hyper.batchSize;
  for (let k = 0; k < skipBatches; k++) order.nextBatch(batchSize, rows);
  const losses: LossPoint[] = [];
  let first = firstLoss;
  let stoppedAt: number | null = null;
  for (let k = 0; k < steps; k++) {
    const count = order.nextBatch(batchSize, rows);
    gatherBatch(train.x, ds.inputs.length, rows, count, x);
    gatherBatch(train.y, ds.targets.length, rows, count, y);
    const step = s.step + k + 1;
    // Stage by stage, to see the loss before deciding, as the server does.
    trainer.begin(x, y, count, rate);
    while (trainer.nextStage?.kind !== 'update') trainer.runStage();
    const loss = trainer.trace.loss;
    if (step === 1 && first === null && Number.isFinite(loss)) first = loss;
    const exploding = first !== null && loss > EXPLODING_LOSS_FACTOR * Math.max(first, 1);
    if (!Number.isFinite(loss) || exploding) {
      stoppedAt = step;
      break;
    }
    trainer.runStage();
    if (!trainer.lastOutcome!.ok) {
      stoppedAt = step;
      break;
    }
    losses.push({ step, train: loss, test: null });
  }
  return { losses, stoppedAt, network: networkToArrays(trainer.network) };
}

async function finished(raceId: string): Promise<void> {
  await waitUntil(() => race().id === raceId && race().status !== 'running', 15_000);
  await host.mirror.reach(state().seq);
}

describe('forks', () => {
  test('match the kernel trained alone, bit for bit, from a session mid-epoch', async () => {
    // Three batch steps first: the race forks from step 3, in the middle of an epoch.
    for (let k = 0; k < 3; k++) await ok(host.socket, 'host:step', { granularity: 'batch' });
    const before = state();
    const firstLoss = before.loss[0]!.train;
    const rates = [0.01, 0.1, 0.5];
    const { raceId } = await ok(host.socket, 'host:race', { rates, steps: 400 });
    await finished(raceId);
    expect(race()).toMatchObject({ status: 'finished', steps: 400, fromStep: 3, batchSize: 16 });

    for (const [k, fork] of race().forks.entries()) {
      const alone = kernelAlone(before, before.network, 3, rates[k]!, 400, firstLoss);
      expect(alone.stoppedAt).toBeNull();
      expect(fork).toMatchObject({ rate: rates[k], stepsDone: 400, diverged: null });
      // toEqual on numbers is Object.is: the same bits, not merely close.
      expect(fork.loss).toEqual(alone.losses);
    }
    // The race did not touch the session.
    const after = state();
    expect(after.network).toEqual(before.network);
    expect(after.step).toBe(3);
    expect(after.hyper).toEqual(before.hyper);
    // Every client reduced the same race from the events.
    expect(host.mirror.state).toEqual(after);
  });

  test('a diverging fork is reported as diverged at its step, with no NaN anywhere', async () => {
    const before = state();
    const { raceId } = await ok(host.socket, 'host:race', { rates: [0.05, 10], steps: 300 });
    await finished(raceId);
    const [calm, wild] = race().forks;
    expect(calm).toMatchObject({ stepsDone: 300, diverged: null });
    if (!wild) throw new Error('two forks expected');

    const alone = kernelAlone(before, before.network, 0, 10, 300, null);
    expect(alone.stoppedAt).not.toBeNull();
    expect(wild.diverged).toMatchObject({ step: alone.stoppedAt, learningRate: 10 });
    expect(wild.diverged!.reason).toMatch(/loss|weight/);
    expect(wild.stepsDone).toBe(alone.stoppedAt! - 1);
    expect(wild.loss).toEqual(alone.losses);
    const events = host.mirror.received.filter((e) => e.type.startsWith('race-'));
    expect(JSON.stringify(events)).not.toMatch(/null,|NaN|Infinity/);
    for (const point of wild.loss) expect(Number.isFinite(point.train)).toBe(true);
    // The session itself never diverged.
    expect(state().diverged).toBeNull();
  });
});

describe('adopting', () => {
  test('a fork’s rate, or its final weights (a network-set event)', async () => {
    const before = state();
    expect(await emitAck(host.socket, 'host:race-adopt', { fork: 0, what: 'rate' })).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
    const { raceId } = await ok(host.socket, 'host:race', { rates: [0.02, 0.3], steps: 50 });
    await finished(raceId);
    expect(await emitAck(host.socket, 'host:race-adopt', { fork: 2, what: 'rate' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });

    await ok(host.socket, 'host:race-adopt', { fork: 1, what: 'rate' });
    expect(state().hyper.learningRate).toBe(0.3);
    expect(state().rateMarks.at(-1)).toEqual({ step: 0, learningRate: 0.3 });

    await ok(host.socket, 'host:race-adopt', { fork: 0, what: 'weights' });
    const alone = kernelAlone(before, before.network, 0, 0.02, 50, null);
    expect(state().network).toEqual(alone.network);
    expect(state().step).toBe(0);
    await host.mirror.reach(state().seq);
    expect(host.mirror.received.at(-1)).toMatchObject({
      type: 'network-set',
      source: { kind: 'race', raceId, fork: 0 },
    });
    expect(host.mirror.state).toEqual(state());
    // Training goes on from the adopted weights.
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    expect(state().trace!.weightsBefore).toEqual(alone.network.weights);
  });

  test('a reset ends the race; a cancelled race cannot be adopted', async () => {
    await ok(host.socket, 'host:setup', {
      datasetId: 'houses',
      hidden: [32, 32],
      activations: ['tanh', 'tanh', 'linear'],
      trainBiases: true,
      seed: 1,
      normalize: true,
      testFraction: 0.2,
    });
    const { raceId } = await ok(host.socket, 'host:race', { rates: [0.01, 0.02], steps: 5000 });
    expect(await emitAck(host.socket, 'host:race', { rates: [0.1], steps: 10 })).toMatchObject({
      ok: false,
      error: { code: 'busy' },
    });
    await waitUntil(() => race().forks[0]!.stepsDone > 0);
    await ok(host.socket, 'host:reset', {});
    expect(state().participation.race).toBeNull();
    const seq = state().seq;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(state().seq).toBe(seq);

    const second = await ok(host.socket, 'host:race', { rates: [0.01], steps: 5000 });
    expect(second.raceId).not.toBe(raceId);
    await ok(host.socket, 'host:race-cancel', {});
    expect(race().status).toBe('cancelled');
    expect(
      await emitAck(host.socket, 'host:race-adopt', { fork: 0, what: 'weights' }),
    ).toMatchObject({ ok: false, error: { code: 'closed' } });
    expect(await emitAck(host.socket, 'host:race-cancel', {})).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
  });
});

describe('streaming', () => {
  test('at most 20 progress events a second; this room and others keep answering', async () => {
    await ok(host.socket, 'host:setup', {
      datasetId: 'houses',
      hidden: [32, 32],
      activations: ['tanh', 'tanh', 'linear'],
      trainBiases: true,
      seed: 1,
      normalize: true,
      testFraction: 0.2,
    });
    const other = await createSession(server, 'Next door');
    const started = Date.now();
    const { raceId } = await ok(host.socket, 'host:race', {
      rates: [0.001, 0.01, 0.03, 0.1],
      steps: 1500,
    });
    const latencies: number[] = [];
    while (race().status === 'running') {
      for (const socket of [host.socket, other.socket]) {
        const sent = performance.now();
        await ok(socket, 'host:title', { title: `t${latencies.length}` });
        latencies.push(performance.now() - sent);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await finished(raceId);
    const elapsed = Date.now() - started;
    const progress = host.mirror.received.filter(
      (e): e is Extract<SessionEvent, { type: 'race-progress' }> => e.type === 'race-progress',
    );
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
    for (let k = 1; k < progress.length; k++) {
      // Server timestamps are whole milliseconds: allow one for rounding.
      expect(progress[k]!.t - progress[k - 1]!.t).toBeGreaterThanOrEqual(49);
    }
    expect(race().forks.map((f) => f.stepsDone)).toEqual([1500, 1500, 1500, 1500]);
    // 1500 steps: every 2nd step's loss travels (at most 1000 points per fork).
    const points = progress.flatMap((e) => e.forks[0]!.loss.map((p) => p.step));
    expect(points).toEqual(Array.from({ length: 750 }, (_, k) => 2 * (k + 1)));
    // A slice is ~8 ms: commands wait at most about one slice (generous bound for CI).
    expect(latencies.length).toBeGreaterThan(4);
    expect(percentile(latencies, 99)).toBeLessThan(250);
  });
});
