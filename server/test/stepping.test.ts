import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  builtinDataset,
  denormalizeTarget,
  fitNormalizer,
  normalizeInput,
  splitTrainTest,
  suggestedNetwork,
} from '@backprop/shared/data';
import {
  initNetwork,
  networkFromArrays,
  networkToArrays,
  SampleOrder,
  stagesOf,
  Trainer,
  type NetworkSpec,
  type Trace,
} from '@backprop/shared/nn';
import type { SessionEvent, SessionState, TraceView } from '@backprop/shared/session';
import { startServer, type TestServer } from './helpers/server';
import { createSession, serverState, type Host } from './helpers/session';
import { emitAck, ok, waitForEvent } from './helpers/sockets';

let server: TestServer;
let host: Host;
beforeEach(async () => {
  server = await startServer();
  host = await createSession(server);
});
afterEach(async () => {
  await server.close();
});

const row = (values: Float64Array, s: number, units: number) =>
  Array.from(values.subarray(s * units, (s + 1) * units));
const matrix = (values: Float64Array, rows: number, cols: number) =>
  Array.from({ length: rows }, (_, j) => row(values, j, cols));

function specOf(state: SessionState): NetworkSpec {
  const { layers, activations, trainBiases } = state.setup;
  return { layers, activations, trainBiases };
}

/** The kernel, alone, stepping from the trace's weights on the trace's batch. */
function kernelStep(state: SessionState, view: TraceView): { trainer: Trainer; trace: Trace } {
  const spec = specOf(state);
  const net = networkFromArrays(spec, view.weightsBefore, view.biasesBefore);
  const trainer = new Trainer(net, view.batchSize);
  const outcome = trainer.step(
    view.batchInputs.flat(),
    view.batchTargets.flat(),
    view.batchSize,
    view.learningRate,
  );
  expect(outcome.ok).toBe(true);
  return { trainer, trace: trainer.trace };
}

/** The houses normalizer, fitted independently of the server on the same split. */
function housesNormalizer() {
  const ds = builtinDataset('houses');
  return { ds, n: fitNormalizer(ds, splitTrainTest(ds.rows, 0.2, 1).train) };
}

function eventsOf(type: string): SessionEvent[] {
  return host.mirror.received.filter((e) => e.type === type);
}

describe('stepping by stage', () => {
  test('reproduces every number of the kernel trace, stage by stage', async () => {
    await ok(host.socket, 'host:hyper', { batchSize: 5, learningRate: 0.2 });
    await ok(host.socket, 'host:step', { granularity: 'stage' });
    const opened = eventsOf('staged-step-opened')[0];
    if (opened?.type !== 'staged-step-opened') throw new Error('no staged-step-opened');
    const state = serverState(server, host.code);
    const spec = specOf(state);
    // The weights before the first step are the seed's initial weights.
    expect(opened.trace.weightsBefore).toEqual(networkToArrays(initNetwork(spec, 1)).weights);
    expect(opened.trace).toMatchObject({ batchSize: 5, learningRate: 0.2, error: null });

    const { trainer, trace } = kernelStep(state, opened.trace);
    const L = spec.layers.length - 1;
    const stages = stagesOf(spec);
    for (let k = 0; k < stages.length; k++) {
      await ok(host.socket, 'host:step', { granularity: 'stage' });
    }
    await host.mirror.reach(serverState(server, host.code).seq);
    const ran = eventsOf('stage-ran');
    expect(ran).toHaveLength(stages.length);
    const { ds, n } = housesNormalizer();
    for (const [k, event] of ran.entries()) {
      if (event.type !== 'stage-ran') throw new Error('not a stage');
      expect(event.index).toBe(k);
      expect(event.stage).toEqual(stages[k]);
      const { patch } = event;
      switch (patch.kind) {
        case 'forward': {
          const units = spec.layers[patch.layer + 1]!;
          expect(patch.z).toEqual(row(trace.z[patch.layer]!, 0, units));
          expect(patch.a).toEqual(row(trace.a[patch.layer + 1]!, 0, units));
          break;
        }
        case 'error':
          expect(patch.error).toEqual(row(trace.error, 0, 1));
          expect(patch.sampleLoss).toBe(trace.sampleLoss[0]);
          expect(patch.batchLoss).toBe(trace.loss);
          expect(patch.prediction).toEqual([denormalizeTarget(n, 0, trace.a[L]![0]!)]);
          break;
        case 'backward': {
          const l = patch.layer;
          expect(patch.delta).toEqual(row(trace.delta[l]!, 0, spec.layers[l + 1]!));
          expect(patch.gradWeights).toEqual(
            matrix(trace.gradWeights[l]!, spec.layers[l + 1]!, spec.layers[l]!),
          );
          expect(patch.gradBiases).toEqual(Array.from(trace.gradBiases[l]!));
          break;
        }
        case 'update':
          expect(patch.progress.step).toBe(1);
          expect(patch.progress.network).toEqual(networkToArrays(trainer.network));
          expect(patch.progress.loss).toEqual([
            { step: 1, train: trace.loss, test: expect.any(Number) },
          ]);
          break;
      }
    }
    const after = serverState(server, host.code);
    expect(after.network).toEqual(networkToArrays(trainer.network));
    expect(after).toMatchObject({ step: 1, stageIndex: 0, lastStage: { kind: 'update' } });
    expect(after.trace!.weightsAfter).toEqual(networkToArrays(trainer.network).weights);
    expect(host.mirror.state).toEqual(after);

    // The shown sample is row `sample.row` of the data, in its own units; the batch
    // holds it normalized.
    const sample = after.sample!;
    expect(sample.inputs).toEqual(row(ds.x, sample.row, 3));
    expect(sample.targets).toEqual([ds.y[sample.row]]);
    expect(Array.from(normalizeInput(n, sample.inputs))).toEqual(opened.trace.batchInputs[0]);
  });

  test('a coarser step first finishes the open staged step', async () => {
    await ok(host.socket, 'host:step', { granularity: 'stage' });
    await ok(host.socket, 'host:step', { granularity: 'stage' });
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    const state = serverState(server, host.code);
    const stages = stagesOf(specOf(state)).length;
    await host.mirror.reach(state.seq);
    expect(eventsOf('stage-ran')).toHaveLength(stages);
    expect(eventsOf('stepped')).toHaveLength(1);
    expect(state.step).toBe(2);
  });
});

describe('whole steps', () => {
  test('batches follow the seeded sample order and match the kernel', async () => {
    const state0 = serverState(server, host.code);
    const order = new SampleOrder(state0.setup.trainRows, 1);
    const train = splitTrainTest(200, 0.2, 1).train;
    const firstRows = Array.from(order.order.subarray(0, 16), (k) => train[k]!);

    await ok(host.socket, 'host:step', { granularity: 'batch' });
    const state = serverState(server, host.code);
    const { trainer, trace } = kernelStep(state0, state.trace!);
    expect(state.sample!.row).toBe(firstRows[0]);
    expect(state.trace!.batchSize).toBe(16);
    expect(state.trace!.a).toEqual(trace.a.map((v, l) => row(v, 0, state.setup.layers[l]!)));
    expect(state.trace!.gradWeights).toEqual(
      trace.gradWeights.map((g, l) =>
        matrix(g, state.setup.layers[l + 1]!, state.setup.layers[l]!),
      ),
    );
    expect(state.network).toEqual(networkToArrays(trainer.network));
    expect(state.loss).toEqual([{ step: 1, train: trace.loss, test: expect.any(Number) }]);
    expect(state.trace!.weightsBefore).toEqual(state0.network.weights);
  });

  test('a sample step uses one sample; an epoch visits every training row once', async () => {
    await ok(host.socket, 'host:step', { granularity: 'sample' });
    expect(serverState(server, host.code).trace!.batchSize).toBe(1);
    await ok(host.socket, 'host:reset', {});
    await ok(host.socket, 'host:step', { granularity: 'epoch' });
    const state = serverState(server, host.code);
    expect(state).toMatchObject({ epoch: 1, step: 10, trace: null }); // 160 rows / 16
    expect(state.loss).toHaveLength(1);
    await host.mirror.reach(state.seq);
    expect(eventsOf('progressed')).toHaveLength(1);
    expect(host.mirror.state).toEqual(state);
  });

  test('reset goes back to the seed weights and the same first batch', async () => {
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    const first = serverState(server, host.code);
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    await ok(host.socket, 'host:reset', {});
    const reset = serverState(server, host.code);
    expect(reset).toMatchObject({ step: 0, epoch: 0, loss: [], trace: null });
    expect(reset.network).toEqual({
      weights: first.trace!.weightsBefore,
      biases: first.trace!.biasesBefore,
    });
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    expect(serverState(server, host.code).trace).toEqual(first.trace);
  });

  test('setup changes the dataset and architecture and starts over', async () => {
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    await ok(host.socket, 'host:setup', {
      datasetId: 'xor',
      hidden: [3, 2],
      activations: ['tanh', 'relu', 'sigmoid'],
      trainBiases: false,
      seed: 7,
      normalize: false,
      testFraction: 0,
    });
    const state = serverState(server, host.code);
    expect(state.setup).toMatchObject({
      datasetId: 'xor',
      layers: [2, 3, 2, 1],
      trainBiases: false,
      seed: 7,
      trainRows: 4,
      testRows: 0,
    });
    expect(state).toMatchObject({ step: 0, loss: [] });
    expect(state.hyper.learningRate).toBe(suggestedNetwork('xor').learningRate);
    expect(state.network).toEqual(networkToArrays(initNetwork(specOf(state), 7)));
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    expect(serverState(server, host.code).loss[0]!.test).toBeNull();

    const wrongCount = await emitAck(host.socket, 'host:setup', {
      datasetId: 'xor',
      hidden: [3],
      activations: ['tanh'],
      trainBiases: true,
      seed: 1,
      normalize: false,
      testFraction: 0,
    });
    expect(wrongCount).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(!wrongCount.ok && wrongCount.error.message).toMatch(/activations: expected 2/);
  });

  test('the worked example starts from the published weights', async () => {
    await ok(host.socket, 'host:setup', {
      datasetId: 'worked-example',
      hidden: [2],
      activations: ['sigmoid', 'sigmoid'],
      trainBiases: false,
      seed: 1,
      normalize: false,
      testFraction: 0,
    });
    await ok(host.socket, 'host:hyper', { learningRate: 0.5, batchSize: 1 });
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    const { trace, network } = serverState(server, host.code);
    // Mazur: E_total = 0.298371109, w5⁺ = 0.35891648, w1⁺ = 0.149780716
    expect(trace!.batchLoss).toBeCloseTo(0.298371109, 9);
    expect(network.weights[1]![0]![0]).toBeCloseTo(0.35891648, 8);
    expect(network.weights[0]![0]![0]).toBeCloseTo(0.149780716, 9);
  });

  test('editing a weight changes the network and the fit; a weight that does not exist is refused', async () => {
    await ok(host.socket, 'host:edit-weight', { layer: 0, to: 1, from: 2, value: -1.5 });
    const state = serverState(server, host.code);
    expect(state.network.weights[0]![1]![2]).toBe(-1.5);
    const before = structuredClone(state);
    for (const payload of [
      { layer: 2, to: 0, from: 0, value: 1 },
      { layer: 0, to: 10, from: 0, value: 1 },
      { layer: 1, to: 0, from: 20, value: 1 },
    ]) {
      const reply = await emitAck(host.socket, 'host:edit-weight', payload);
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(serverState(server, host.code)).toEqual(before);
  });

  test('stepping while playing is refused as busy', async () => {
    await ok(host.socket, 'host:play', { playing: true });
    const reply = await emitAck(host.socket, 'host:step', { granularity: 'batch' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'busy' } });
    await ok(host.socket, 'host:play', { playing: false });
  });
});

describe('divergence', () => {
  async function unnormalizedHouses(learningRate: number) {
    await ok(host.socket, 'host:setup', {
      datasetId: 'houses',
      hidden: [4],
      activations: ['tanh', 'linear'],
      trainBiases: true,
      seed: 1,
      normalize: false,
      testFraction: 0.2,
    });
    await ok(host.socket, 'host:hyper', { learningRate });
  }

  test('lr 10 on unnormalized houses: the step is refused, the weights kept', async () => {
    await unnormalizedHouses(10);
    const before = serverState(server, host.code);
    const reply = await emitAck(host.socket, 'host:step', { granularity: 'batch' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'diverged' } });
    const after = serverState(server, host.code);
    expect(after.network).toEqual(before.network);
    expect(after.step).toBe(0);
    expect(after.diverged).toMatchObject({ step: 1, learningRate: 10 });
    expect(after.diverged!.reason).toMatch(/beyond ±/);
    await host.mirror.reach(after.seq);
    expect(eventsOf('diverged')).toHaveLength(1);
    expect(eventsOf('stepped')).toHaveLength(0);
  });

  test('while playing: play pauses and the divergence names the step', async () => {
    await unnormalizedHouses(10);
    const diverged = waitForEvent(host.socket, (e) => e.type === 'diverged');
    await ok(host.socket, 'host:play', { playing: true });
    expect(await diverged).toMatchObject({ divergence: { step: 1, learningRate: 10 } });
    const state = serverState(server, host.code);
    expect(state).toMatchObject({ playing: false, step: 0 });
    expect(server.app.sessions.get(host.code)!.play.running).toBe(false);
  });

  test('a huge weight edit makes the loss explode: refused before the update', async () => {
    // A chain of 1×1 linear layers: seven weights of 100 multiply the output by 1e14.
    await ok(host.socket, 'host:setup', {
      datasetId: 'sine',
      hidden: [1, 1, 1, 1, 1, 1],
      activations: Array(7).fill('linear'),
      trainBiases: true,
      seed: 1,
      normalize: true,
      testFraction: 0,
    });
    await ok(host.socket, 'host:hyper', { learningRate: 0.00001 });
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    for (let layer = 0; layer < 7; layer++) {
      await ok(host.socket, 'host:edit-weight', { layer, to: 0, from: 0, value: 100 });
    }
    const before = serverState(server, host.code);
    await ok(host.socket, 'host:step', { granularity: 'stage' });
    const stages = stagesOf(specOf(before)).length;
    for (let k = 0; k < stages - 1; k++)
      await ok(host.socket, 'host:step', { granularity: 'stage' });
    const reply = await emitAck(host.socket, 'host:step', { granularity: 'stage' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'diverged' } });
    const after = serverState(server, host.code);
    expect(after.network).toEqual(before.network);
    expect(after).toMatchObject({ step: 1, stageIndex: 0, diverged: { step: 2 } });
    expect(after.diverged!.reason).toMatch(/exploded/);
    expect(after.trace!.weightsAfter).toBeNull();
    // A sane rate after a reset trains again and clears the divergence.
    await ok(host.socket, 'host:reset', {});
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    expect(serverState(server, host.code)).toMatchObject({ step: 1, diverged: null });
  });
});
