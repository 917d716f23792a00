import { describe, expect, test } from 'vitest';
import { cloneNetwork, initNetwork, networkToArrays, type NetworkSpec } from '../../src/nn/network';
import { Trainer } from '../../src/nn/trainer';
import { referenceForward } from './reference';

const SPEC: NetworkSpec = { layers: [2, 3, 1], activations: ['tanh', 'linear'], trainBiases: true };
const INPUTS = [0.5, -0.3, 0.9, 0.1, -0.7, 0.4];
const TARGETS = [1, -1, 0.5];

describe('divergence never reaches the weights', () => {
  function expectRefused(trainer: Trainer, before: ReturnType<typeof cloneNetwork>) {
    expect(trainer.network).toEqual(before);
    expect(trainer.trace.diverged).toBe(true);
    expect(trainer.trace.weightsAfter).toEqual(trainer.trace.weightsBefore);
    expect(trainer.trace.biasesAfter).toEqual(trainer.trace.biasesBefore);
  }

  test('an absurd learning rate explodes the weights: refused', () => {
    const trainer = new Trainer(initNetwork(SPEC, 1), 3);
    const before = cloneNetwork(trainer.network);
    const outcome = trainer.step(INPUTS, TARGETS, 3, 1e12);
    expect(outcome).toEqual({ ok: false, reason: 'exploding-weights', loss: trainer.trace.loss });
    expect(Number.isFinite(outcome.loss)).toBe(true);
    expect(trainer.lastOutcome).toBe(outcome);
    expectRefused(trainer, before);
    // The gradients are still there to be shown.
    expect(trainer.trace.gradWeights[1]!.some((g) => g !== 0)).toBe(true);
  });

  test('an overflowing update is non-finite: refused', () => {
    const trainer = new Trainer(initNetwork(SPEC, 1), 3);
    const before = cloneNetwork(trainer.network);
    const outcome = trainer.step(INPUTS, [1e3, -1e3, 1e3], 3, 1e308);
    expect(outcome).toMatchObject({ ok: false, reason: 'non-finite-weights' });
    expectRefused(trainer, before);
  });

  test('a non-finite loss: refused', () => {
    const trainer = new Trainer(initNetwork(SPEC, 1), 3);
    const before = cloneNetwork(trainer.network);
    const outcome = trainer.step([NaN, 0, 0, 0, 0, 0], TARGETS, 3, 0.1);
    expect(outcome).toMatchObject({ ok: false, reason: 'non-finite-loss' });
    expect(outcome.loss).toBeNaN();
    expectRefused(trainer, before);
  });

  test('the next sane step trains again', () => {
    const trainer = new Trainer(initNetwork(SPEC, 1), 3);
    trainer.step(INPUTS, TARGETS, 3, 1e12);
    const before = cloneNetwork(trainer.network);
    expect(trainer.step(INPUTS, TARGETS, 3, 0.1)).toEqual({ ok: true, loss: trainer.trace.loss });
    expect(trainer.trace.diverged).toBe(false);
    expect(trainer.network).not.toEqual(before);
  });
});

describe('biases', () => {
  test('frozen biases stay put while the weights learn; gradients are still computed', () => {
    const network = initNetwork({ ...SPEC, trainBiases: false }, 2);
    network.biases[0]!.set([0.1, -0.2, 0.3]);
    const before = cloneNetwork(network);
    const trainer = new Trainer(network, 3);
    for (let k = 0; k < 20; k++) trainer.step(INPUTS, TARGETS, 3, 0.1);
    expect(network.biases).toEqual(before.biases);
    expect(trainer.trace.biasesAfter).toEqual(before.biases);
    expect(network.weights).not.toEqual(before.weights);
    expect(trainer.trace.gradBiases[0]!.some((g) => g !== 0)).toBe(true);
  });

  test('trainable biases learn', () => {
    const network = initNetwork(SPEC, 2);
    const before = cloneNetwork(network);
    const trainer = new Trainer(network, 3);
    for (let k = 0; k < 20; k++) trainer.step(INPUTS, TARGETS, 3, 0.1);
    network.biases.forEach((b, l) => expect(b).not.toEqual(before.biases[l]));
  });

  test('trainBiases may be toggled between steps', () => {
    const network = initNetwork(SPEC, 2);
    const trainer = new Trainer(network, 3);
    trainer.step(INPUTS, TARGETS, 3, 0.1);
    network.spec.trainBiases = false;
    const held = cloneNetwork(network).biases;
    trainer.step(INPUTS, TARGETS, 3, 0.1);
    expect(network.biases).toEqual(held);
  });
});

describe('learning', () => {
  test('the loss goes down over steps on a fixed batch', () => {
    const trainer = new Trainer(initNetwork(SPEC, 4), 3);
    const first = trainer.step(INPUTS, TARGETS, 3, 0.1).loss;
    let last = first;
    for (let k = 0; k < 200; k++) last = trainer.step(INPUTS, TARGETS, 3, 0.1).loss;
    expect(last).toBeLessThan(first / 10);
  });

  test('the batch gradient is the mean of the per-sample gradients', () => {
    const network = initNetwork(SPEC, 6);
    const batch = new Trainer(cloneNetwork(network), 3);
    batch.step(INPUTS, TARGETS, 3, 0);
    const sums = batch.trace.gradWeights.map((g) => new Float64Array(g.length));
    for (let s = 0; s < 3; s++) {
      const single = new Trainer(cloneNetwork(network), 1);
      single.step(INPUTS.slice(2 * s, 2 * s + 2), TARGETS.slice(s, s + 1), 1, 0);
      single.trace.gradWeights.forEach((g, l) => g.forEach((v, k) => (sums[l]![k]! += v / 3)));
    }
    sums.forEach((mean, l) =>
      mean.forEach((v, k) => expect(batch.trace.gradWeights[l]![k]).toBeCloseTo(v, 14)),
    );
  });
});

describe('predict and evaluateLoss', () => {
  test('predict agrees with the trace and the oracle, and leaves the trace alone', () => {
    const trainer = new Trainer(initNetwork(SPEC, 8), 3);
    trainer.begin(INPUTS, TARGETS, 3, 0.1);
    trainer.runStage();
    trainer.runStage();
    const snapshot = structuredClone(trainer.trace);
    const out = new Float64Array(1);
    for (let s = 0; s < 3; s++) {
      trainer.predict(INPUTS.slice(2 * s, 2 * s + 2), out);
      expect(out[0]).toBe(trainer.trace.a[2]![s]);
      const reference = { activations: SPEC.activations, ...networkToArrays(trainer.network) };
      expect(out[0]).toBeCloseTo(
        referenceForward(reference, INPUTS.slice(2 * s, 2 * s + 2)).a[2]![0]!,
        14,
      );
    }
    expect(trainer.trace).toEqual(snapshot);
  });

  test('evaluateLoss equals the loss of a step on the same rows, and changes nothing', () => {
    const trainer = new Trainer(initNetwork(SPEC, 8), 3);
    const before = cloneNetwork(trainer.network);
    const loss = trainer.evaluateLoss(INPUTS, TARGETS, 3);
    expect(trainer.network).toEqual(before);
    expect(trainer.step(INPUTS, TARGETS, 3, 0.1).loss).toBe(loss);
  });
});

describe('arguments', () => {
  const trainer = new Trainer(initNetwork(SPEC, 1), 3);
  test.each([
    ['batch 0', () => trainer.step(INPUTS, TARGETS, 0, 0.1), /batchSize/],
    ['batch over maxBatch', () => trainer.step(INPUTS, TARGETS, 4, 0.1), /batchSize/],
    ['short inputs', () => trainer.step(INPUTS.slice(1), TARGETS, 3, 0.1), /needs 6 inputs/],
    ['non-finite rate', () => trainer.step(INPUTS, TARGETS, 3, Infinity), /learningRate/],
    ['predict output too small', () => trainer.predict([1, 2], new Float64Array(0)), /predict/],
    ['evaluateLoss 0 rows', () => trainer.evaluateLoss(INPUTS, TARGETS, 0), /rows/],
    ['maxBatch 0', () => new Trainer(initNetwork(SPEC, 1), 0), /maxBatch/],
    [
      'parameters not matching the spec',
      () =>
        new Trainer(
          { ...initNetwork(SPEC, 1), weights: [new Float64Array(5), new Float64Array(3)] },
          1,
        ),
      /weights\[0\]/,
    ],
    [
      'weights that are not views onto params',
      () => {
        const network = initNetwork(SPEC, 1);
        return new Trainer({ ...network, weights: network.weights.map((w) => w.slice()) }, 1);
      },
      /views onto params/,
    ],
    [
      'views onto params in another order',
      () => {
        const network = initNetwork(SPEC, 1);
        const { params } = network;
        const biases = [params.subarray(0, 3), params.subarray(3, 4)]; // the first weights
        return new Trainer({ ...network, biases }, 1);
      },
      /views onto params/,
    ],
  ])('%s is refused', (_, act, message) => {
    expect(act).toThrow(message);
  });
});
