import { describe, expect, test } from 'vitest';
import { initNetwork, cloneNetwork, type NetworkSpec } from '../../src/nn/network';
import { createRng } from '../../src/nn/random';
import { stagesOf } from '../../src/nn/stages';
import { Trainer } from '../../src/nn/trainer';

const SPEC: NetworkSpec = {
  layers: [3, 4, 4, 2],
  activations: ['tanh', 'relu', 'sigmoid'],
  trainBiases: true,
};

describe('stagesOf', () => {
  test('forward through each matrix, error, backward from the output, update', () => {
    const stages = stagesOf(SPEC);
    expect(stages).toEqual([
      { kind: 'forward', layer: 0 },
      { kind: 'forward', layer: 1 },
      { kind: 'forward', layer: 2 },
      { kind: 'error' },
      { kind: 'backward', layer: 2 },
      { kind: 'backward', layer: 1 },
      { kind: 'backward', layer: 0 },
      { kind: 'update' },
    ]);
  });
});

function batches(count: number, size: number, seed: number) {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => ({
    inputs: Array.from({ length: size * 3 }, () => 2 * rng() - 1),
    targets: Array.from({ length: size * 2 }, () => rng()),
  }));
}

describe('a staged step equals a whole step, bit for bit', () => {
  test.each([1, 4])('batch %i, several steps in a row', (batchSize) => {
    const network = initNetwork(SPEC, 3);
    const whole = new Trainer(cloneNetwork(network), 4);
    const staged = new Trainer(cloneNetwork(network), 4);
    for (const { inputs, targets } of batches(3, batchSize, 10 + batchSize)) {
      const outcome = whole.step(inputs, targets, batchSize, 0.3);

      staged.begin(inputs, targets, batchSize, 0.3);
      const run = [];
      while (staged.inStep) {
        const next = staged.nextStage;
        expect(next).toBe(staged.stages[staged.stageIndex]);
        expect(staged.runStage()).toBe(next);
        run.push(next);
      }
      expect(staged.runStage()).toBeNull();
      expect(run).toEqual(stagesOf(SPEC));
      expect(staged.nextStage).toBeNull();
      expect(staged.stageIndex).toBe(run.length);

      expect(staged.trace).toEqual(whole.trace);
      expect(staged.network).toEqual(whole.network);
      expect(staged.lastOutcome).toEqual(outcome);
      expect(outcome.ok).toBe(true);
    }
    // The steps did something.
    expect(whole.network.weights).not.toEqual(network.weights);
  });

  test('the network changes only at the update stage', () => {
    const trainer = new Trainer(initNetwork(SPEC, 5), 1);
    const before = cloneNetwork(trainer.network);
    trainer.begin([0.1, 0.2, 0.3], [0, 1], 1, 0.5);
    while (trainer.nextStage?.kind !== 'update') {
      trainer.runStage();
      expect(trainer.network).toEqual(before);
    }
    trainer.runStage();
    expect(trainer.network).not.toEqual(before);
    expect(trainer.network.weights).toEqual(trainer.trace.weightsAfter);
  });

  test('begin abandons a step in progress; runStage outside a step returns null', () => {
    const trainer = new Trainer(initNetwork(SPEC, 5), 1);
    expect(trainer.runStage()).toBeNull();
    const reference = new Trainer(initNetwork(SPEC, 5), 1);
    trainer.begin([9, 9, 9], [0, 0], 1, 0.5);
    trainer.runStage();
    trainer.runStage();
    trainer.step([0.1, 0.2, 0.3], [0, 1], 1, 0.5);
    reference.step([0.1, 0.2, 0.3], [0, 1], 1, 0.5);
    expect(trainer.network).toEqual(reference.network);
    expect(trainer.trace).toEqual(reference.trace);
  });
});
