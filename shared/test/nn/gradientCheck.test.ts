/**
 * The kernel's gradients against central finite differences of an independent oracle
 * (reference.ts), for every activation, several shapes, batch 1 and batch 5, weights and
 * biases.
 */
import { describe, expect, test } from 'vitest';
import { ACTIVATION_NAMES, type ActivationName } from '../../src/nn/activations';
import { initNetwork, networkToArrays, type NetworkSpec } from '../../src/nn/network';
import { createRng } from '../../src/nn/random';
import { Trainer } from '../../src/nn/trainer';
import type { Regularization } from '../../src/nn/regularization';
import { referenceForward, referenceLoss, referencePenalty, type ReferenceNet } from './reference';

const H = 1e-6;
const TOLERANCE = 1e-6;
// The central difference of a loss near 1 carries rounding noise of about 1e-16 / H, which
// measures up to 1e-10 here: relative error is taken against at least 1e-3, so gradients
// smaller than that are held to an absolute 1e-9 instead of drowning in the noise.
const DENOMINATOR_FLOOR = 1e-3;

interface Case {
  spec: NetworkSpec;
  batch: number;
  seed: number;
}

function setUp({ spec, batch, seed }: Case) {
  const net = initNetwork(spec, seed);
  const rng = createRng(seed + 1000);
  const uniform = () => 2 * rng() - 1;
  // Non-zero biases, so that bias gradients and relu kinks are exercised for real.
  for (const b of net.biases) for (let j = 0; j < b.length; j++) b[j] = 0.5 * uniform();
  const inUnits = spec.layers[0]!;
  const outUnits = spec.layers.at(-1)!;
  const inputs = Array.from({ length: batch }, () => Array.from({ length: inUnits }, uniform));
  const targets = Array.from({ length: batch }, () => Array.from({ length: outUnits }, uniform));
  const trainer = new Trainer(net, batch);
  // Learning rate 0: the step computes every gradient and leaves the network as it was.
  trainer.step(inputs.flat(), targets.flat(), batch, 0);
  const reference: ReferenceNet = { activations: spec.activations, ...networkToArrays(net) };
  return { trainer, reference, inputs, targets };
}

/** Smallest |z| over the relu units of all samples: finite differences need it off the kink. */
function closestReluKink(reference: ReferenceNet, inputs: number[][]): number {
  let closest = Infinity;
  for (const input of inputs) {
    referenceForward(reference, input).z.forEach((zl, l) => {
      if (reference.activations[l] !== 'relu') return;
      for (const v of zl) closest = Math.min(closest, Math.abs(v));
    });
  }
  return closest;
}

interface Comparison {
  where: string;
  analytic: number;
  numeric: number;
  error: number;
}

/** Every parameter's analytic gradient next to its central difference. */
function compareGradients(setup: ReturnType<typeof setUp>): Comparison[] {
  const { trainer, reference, inputs, targets } = setup;
  const { layers } = trainer.network.spec;
  const comparisons: Comparison[] = [];
  const check = (where: string, analytic: number, values: number[], k: number) => {
    const held = values[k]!;
    values[k] = held + H;
    const plus = referenceLoss(reference, inputs, targets);
    values[k] = held - H;
    const minus = referenceLoss(reference, inputs, targets);
    values[k] = held;
    const numeric = (plus - minus) / (2 * H);
    const denominator = Math.max(Math.abs(analytic), Math.abs(numeric), DENOMINATOR_FLOOR);
    comparisons.push({
      where,
      analytic,
      numeric,
      error: Math.abs(analytic - numeric) / denominator,
    });
  };
  reference.weights.forEach((matrix, l) =>
    matrix.forEach((row, j) =>
      row.forEach((_, i) => {
        const analytic = trainer.trace.gradWeights[l]![j * layers[l]! + i]!;
        check(`weights[${l}][${j}][${i}]`, analytic, row, i);
      }),
    ),
  );
  reference.biases.forEach((vector, l) =>
    vector.forEach((_, j) =>
      check(`biases[${l}][${j}]`, trainer.trace.gradBiases[l]![j]!, vector, j),
    ),
  );
  return comparisons;
}

function worst(comparisons: Comparison[]): Comparison {
  return comparisons.reduce((a, b) => (b.error > a.error ? b : a));
}

// Fixed seeds; the test asserts what it needs of them (relu units off their kinks, gradient
// reaching every matrix), so a seed that doesn't give it fails loudly instead of passing.
const SHAPES = [
  [3, 4, 2],
  [2, 5, 5, 1],
];

const uniformCases = ACTIVATION_NAMES.flatMap((name, a) =>
  SHAPES.flatMap((layers) =>
    [1, 5].map((batch) => ({
      name: `${name} ${layers.join('-')} batch ${batch}`,
      spec: {
        layers,
        activations: layers.slice(1).map((): ActivationName => name),
        trainBiases: true,
      },
      batch,
      seed: 100 * a + 17 * layers.length + batch,
    })),
  ),
);

const mixedCases = [1, 5].map((batch) => ({
  name: `relu,tanh,sigmoid,linear 4-3-3-3-2 batch ${batch}`,
  spec: {
    layers: [4, 3, 3, 3, 2],
    activations: ['relu', 'tanh', 'sigmoid', 'linear'] as ActivationName[],
    trainBiases: true,
  },
  batch,
  seed: 7 + batch,
}));

describe('gradients match central finite differences', () => {
  test.each([...uniformCases, ...mixedCases])('$name', (c) => {
    const setup = setUp(c);
    if (c.spec.activations.includes('relu')) {
      // A step of H must not cross a kink, where the derivative jumps.
      expect(closestReluKink(setup.reference, setup.inputs)).toBeGreaterThan(1e-3);
    }
    const comparisons = compareGradients(setup);
    // Not a vacuous check: some gradients are well away from zero.
    // Not vacuous: gradient reaches every weight matrix, down to the first.
    setup.trainer.trace.gradWeights.forEach((grad, l) => {
      expect(Math.max(...grad.map(Math.abs)), `weights[${l}]`).toBeGreaterThan(1e-4);
    });
    const w = worst(comparisons);
    expect(w.error, `${w.where}: analytic ${w.analytic}, numeric ${w.numeric}`).toBeLessThan(
      TOLERANCE,
    );
  });

  test('the check notices a gradient off by one part in 10⁵', () => {
    const setup = setUp(mixedCases[1]!);
    const grad = setup.trainer.trace.gradWeights[1]!;
    const k = grad.findIndex((g) => Math.abs(g) > 1e-3);
    grad[k] = grad[k]! * (1 + 1e-5);
    expect(worst(compareGradients(setup)).error).toBeGreaterThan(TOLERANCE);
  });
});

describe('with regularization, the update follows ∂(E + λR)/∂w', () => {
  const cases = [uniformCases[2]!, uniformCases[7]!, mixedCases[1]!];
  const regs: (Regularization | null)[] = [
    null,
    { kind: 'l1', rate: 0.05 },
    { kind: 'l2', rate: 0.08 },
  ];
  test.each(cases.flatMap((c) => regs.map((reg) => ({ ...c, reg }))))('$name, $reg.kind', (c) => {
    const net = initNetwork(c.spec, c.seed);
    const rng = createRng(c.seed + 1000);
    const uniform = () => 2 * rng() - 1;
    for (const b of net.biases) for (let j = 0; j < b.length; j++) b[j] = 0.5 * uniform();
    const inputs = Array.from({ length: c.batch }, () =>
      Array.from({ length: c.spec.layers[0]! }, uniform),
    );
    const targets = Array.from({ length: c.batch }, () =>
      Array.from({ length: c.spec.layers.at(-1)! }, uniform),
    );
    const reference: ReferenceNet = { activations: c.spec.activations, ...networkToArrays(net) };
    const trainer = new Trainer(net, c.batch);
    trainer.regularization = c.reg;
    // Rate 1: what the update subtracted is the whole gradient the kernel used.
    trainer.step(inputs.flat(), targets.flat(), c.batch, 1);
    const used = networkToArrays({
      ...net,
      weights: trainer.trace.weightsBefore.map((w, l) =>
        w.map((v, k) => v - trainer.trace.weightsAfter[l]![k]!),
      ),
      biases: trainer.trace.biasesBefore.map((b, l) =>
        b.map((v, k) => v - trainer.trace.biasesAfter[l]![k]!),
      ),
    });
    const loss = () =>
      referenceLoss(reference, inputs, targets) + referencePenalty(reference, c.reg);
    const errors: Comparison[] = [];
    const check = (where: string, analytic: number, values: number[], k: number) => {
      const held = values[k]!;
      values[k] = held + H;
      const plus = loss();
      values[k] = held - H;
      const minus = loss();
      values[k] = held;
      const numeric = (plus - minus) / (2 * H);
      const denominator = Math.max(Math.abs(analytic), Math.abs(numeric), DENOMINATOR_FLOOR);
      errors.push({ where, analytic, numeric, error: Math.abs(analytic - numeric) / denominator });
    };
    reference.weights.forEach((m, l) =>
      m.forEach((row, j) =>
        row.forEach((_, i) => check(`w${l}${j}${i}`, used.weights[l]![j]![i]!, row, i)),
      ),
    );
    // Biases are not regularized: their step is the data gradient alone, which is also
    // what the penalized loss says (the penalty does not depend on them).
    reference.biases.forEach((v, l) =>
      v.forEach((_, j) => check(`b${l}${j}`, used.biases[l]![j]!, v, j)),
    );
    const w = worst(errors);
    expect(w.error, `${w.where}: analytic ${w.analytic}, numeric ${w.numeric}`).toBeLessThan(1e-6);
    // Not vacuous: the penalty's part is large enough that leaving it out would fail.
    if (c.reg) {
      const dataOnly = trainer.trace.gradWeights[0]![0]!;
      expect(Math.abs(dataOnly - used.weights[0]![0]![0]!)).toBeGreaterThan(1e-3);
    }
  });
});
