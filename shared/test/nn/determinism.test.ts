/** The same seed gives the same initial weights, the same sample order, the same training. */
import { describe, expect, test } from 'vitest';
import { initNetwork, type NetworkSpec } from '../../src/nn/network';
import { createRng } from '../../src/nn/random';
import { gatherBatch, SampleOrder } from '../../src/nn/sampleOrder';
import { Trainer } from '../../src/nn/trainer';

const SPEC: NetworkSpec = {
  layers: [2, 6, 6, 1],
  activations: ['relu', 'tanh', 'sigmoid'],
  trainBiases: true,
};
const ROWS = 10;
const BATCH = 4;

// A fixed dataset: the seed under test drives only the weights and the order.
const dataRng = createRng(2024);
const INPUTS = Float64Array.from({ length: ROWS * 2 }, () => 2 * dataRng() - 1);
const TARGETS = Float64Array.from({ length: ROWS }, (_, r) =>
  INPUTS[2 * r]! * INPUTS[2 * r + 1]! > 0 ? 1 : 0,
);

function train(seed: number, steps: number) {
  const network = initNetwork(SPEC, seed);
  const initial = network.weights.map((w) => w.slice());
  const trainer = new Trainer(network, BATCH);
  const order = new SampleOrder(ROWS, seed);
  const indices = new Uint32Array(BATCH);
  const x = new Float64Array(BATCH * 2);
  const y = new Float64Array(BATCH);
  const losses: number[] = [];
  for (let k = 0; k < steps; k++) {
    const count = order.nextBatch(BATCH, indices);
    gatherBatch(INPUTS, 2, indices, count, x);
    gatherBatch(TARGETS, 1, indices, count, y);
    losses.push(trainer.step(x, y, count, 0.5).loss);
  }
  return { initial, network, losses, epoch: order.epoch };
}

describe('determinism', () => {
  test('same seed: same initial weights, same weights after 50 steps across epochs', () => {
    const a = train(17, 50);
    const b = train(17, 50);
    expect(a.epoch).toBeGreaterThan(10);
    expect(b.initial).toEqual(a.initial);
    expect(b.losses).toEqual(a.losses);
    expect(b.network).toEqual(a.network);
  });

  test('different seed: different initial weights and different result', () => {
    const a = train(17, 50);
    const b = train(18, 50);
    expect(b.initial).not.toEqual(a.initial);
    expect(b.network.weights).not.toEqual(a.network.weights);
  });
});
