/**
 * The command line on the playground: plane data sets with noise, points and features,
 * L1 / L2 regularization, the split. `trace` takes the batch a session with the same seeds
 * takes (checked against the server's own Training) and shows the data and regularization
 * parts of each gradient; bad values are one line on stderr, exit 2.
 */
import { describe, expect, test } from 'vitest';
import { generatedDataset, planePoints } from '@backprop/shared/data';
import { initNetwork, networkToArrays, regularizationPenalty } from '@backprop/shared/nn';
import { Training } from '../../src/training/training';
import { cli as runCli } from '../helpers/cli';

const cli = (...argv: string[]) => runCli(argv);
const json = (argv: string[]) => {
  const ran = cli(...argv);
  expect(ran.stderr).toBe('');
  expect(ran.code).toBe(0);
  return JSON.parse(ran.stdout) as Record<string, unknown>;
};

const SPIRAL = [
  '--dataset',
  'spiral',
  '--noise',
  '0.2',
  '--points',
  '400',
  '--features',
  'x1,x2,x1x2,sin1,sin2',
  '--seed',
  '3',
];
const FEATURES = ['x1', 'x2', 'x1x2', 'sin1', 'sin2'] as const;
const PLANE = { noise: 0.2, points: 400, features: [...FEATURES] };

/** The server's run of the same setup: the suggested spiral network, tanh throughout. */
function sessionTraining(regularization?: { kind: 'l1' | 'l2'; rate: number }) {
  const choice = {
    datasetId: 'spiral',
    hidden: [8, 8],
    activations: ['tanh', 'tanh', 'tanh'] as ('tanh' | 'sigmoid')[],
    trainBiases: true,
    seed: 3,
    dataSeed: 1,
    normalize: false,
    testFraction: 0.3,
    plane: PLANE,
    regularization,
  };
  const dataset = generatedDataset({ ...choice, outputActivation: 'tanh' });
  return new Training(choice, dataset);
}

describe('trace on a plane data set', () => {
  test('takes the session’s first batch and shows both parts of ∂E/∂w', () => {
    const reg = { kind: 'l2', rate: 0.01 } as const;
    const out = json([
      'trace',
      ...SPIRAL,
      '--test-fraction',
      '0.3',
      '--reg',
      'l2',
      '--reg-rate',
      '0.01',
      '--batch',
      '4',
      '--lr',
      '0.03',
    ]) as {
      rows: number[];
      loss: number;
      penalty: number;
      lossWithPenalty: number;
      gradients: { weights: number[][][] };
      regularizationGradients: { weights: number[][][] };
      weightsAfter: number[][][];
      biasesAfter: number[][];
    };
    const training = sessionTraining(reg);
    const before = training.network();
    const step = training.stepWithTrace(4, 0.03);
    if (step.kind !== 'stepped') throw new Error('the session refused the step');
    expect(out.rows[0]).toBe(step.sample.row);
    expect(out.rows).toHaveLength(4);
    expect(out.loss).toBe(step.trace.batchLoss);
    expect(out.penalty).toBe(step.trace.penalty);
    expect(out.penalty).toBe(regularizationPenalty(reg, before.weights));
    expect(out.lossWithPenalty).toBe(out.loss + out.penalty);
    expect(out.gradients.weights).toEqual(step.trace.gradWeights);
    expect(out.regularizationGradients.weights).toEqual(
      before.weights.map((m) => m.map((row) => row.map((w) => 0.01 * w))),
    );
    expect(out.weightsAfter).toEqual(step.trace.weightsAfter);
    expect(out.biasesAfter).toEqual(step.trace.biasesAfter);
  });

  test('L1: λ·sign(w); without --reg no penalty fields', () => {
    const out = json(['trace', ...SPIRAL, '--reg', 'l1', '--reg-rate', '0.05']) as {
      regularizationGradients: { weights: number[][][] };
    };
    const signs = new Set(out.regularizationGradients.weights.flat(2));
    expect([...signs].sort()).toEqual([-0.05, 0.05]);
    const plain = json(['trace', ...SPIRAL]);
    expect(plain).not.toHaveProperty('penalty');
    expect(plain).not.toHaveProperty('regularizationGradients');
  });
});

describe('train on a plane data set', () => {
  const args = [...SPIRAL, '--test-fraction', '0.3', '--lr', '0.03', '--batch', '10'];

  test('is the session’s run: the same losses, penalties and final weights', () => {
    const reg = { kind: 'l2', rate: 0.003 } as const;
    const out = json(['train', ...args, '--steps', '50', '--reg', 'l2', '--reg-rate', '0.003']) as {
      losses: number[];
      penalties: number[];
      weights: number[][][];
      testLoss: number;
      accuracy: { train: number; test: number };
    };
    const training = sessionTraining(reg);
    const initial = training.network();
    const run = training.run(10, 0.03, {
      maxSteps: 50,
      untilEpochEnds: false,
      shouldStop: () => false,
    });
    expect(run.divergence).toBeNull();
    expect(out.losses.reduce((s, l) => s + l, 0)).toBe(run.lossSum);
    expect(out.penalties).toHaveLength(50);
    expect(out.penalties[0]).toBe(regularizationPenalty(reg, initial.weights));
    expect(out.weights).toEqual(training.network().weights);
    expect(out.testLoss).toBe(training.testLoss());
    expect(out.accuracy).toEqual(training.modelStats().accuracy);
  });

  test('L2 at rate 0 trains exactly as no regularization', () => {
    const plain = json(['train', ...args, '--steps', '30']);
    const zero = json(['train', ...args, '--steps', '30', '--reg', 'l2', '--reg-rate', '0']);
    expect(zero.weights).toEqual(plain.weights);
    expect(zero.losses).toEqual(plain.losses);
  });

  test('the regression sets have no accuracy; the network file is optional', () => {
    const out = json(['train', '--dataset', 'plane', '--points', '100', '--steps', '5']);
    expect(out).not.toHaveProperty('accuracy');
    const initial = networkToArrays(
      initNetwork(
        { layers: [2, 4, 2, 1], activations: ['tanh', 'tanh', 'tanh'], trainBiases: true },
        7,
      ),
    );
    const none = json(['train', '--dataset', 'plane', '--points', '100', '--steps', '0']);
    expect(none.weights).toEqual(initial.weights);
  });

  test('the data are the generator’s, from --data-seed', () => {
    const a = json(['train', '--dataset', 'circle', '--data-seed', '4', '--steps', '20']);
    const b = json(['train', '--dataset', 'circle', '--data-seed', '5', '--steps', '20']);
    expect(a.losses).not.toEqual(b.losses);
    expect(planePoints('circle', { noise: 0, points: 200 }, 4).x).not.toEqual(
      planePoints('circle', { noise: 0, points: 200 }, 5).x,
    );
  });
});

describe('help and bad values', () => {
  test.each(['train', 'trace'])('%s --help lists the plane data sets and the features', (cmd) => {
    const { stdout, code } = cli(cmd, '--help');
    expect(code).toBe(0);
    for (const word of [
      'circle',
      'quadrants',
      'gaussians',
      'spiral',
      'gaussian-mix',
      'x1sq',
      'sin2',
      '--reg-rate',
    ]) {
      expect(stdout).toContain(word);
    }
  });

  test.each([
    [['train', ...SPIRAL, '--noise', '0.7'], /--noise/],
    [['train', ...SPIRAL, '--points', '20'], /--points/],
    [['train', ...SPIRAL, '--points', '100.5'], /--points/],
    [['train', '--dataset', 'spiral', '--features', 'x1,x9'], /unknown feature "x9"/],
    [['train', '--dataset', 'spiral', '--features', 'x1,x1'], /twice/],
    [['train', '--dataset', 'spiral', '--features', ''], /feature/],
    [['train', '--dataset', 'houses', '--noise', '0.1'], /plane data set/],
    [['train', ...SPIRAL, '--reg', 'l3'], /--reg: expected l1 or l2/],
    [['train', ...SPIRAL, '--reg', 'l2', '--reg-rate', '0.5'], /--reg-rate/],
    [['train', ...SPIRAL, '--reg-rate', '0.01'], /--reg-rate goes with --reg/],
    [['trace', ...SPIRAL, '--test-fraction', '0.95'], /--test-fraction/],
    [['trace', '--dataset', 'spirals'], /unknown "spirals"/],
  ])('%j: one line on stderr, exit 2', (argv, reason) => {
    const ran = cli(...argv);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(ran.stderr).toMatch(reason);
    expect(ran.stdout).toBe('');
  });
});
