/**
 * The kernel's loops are blocked and specialised for speed (four units at a time, a single
 * sample without a sum); this pins down that they still do exactly the textbook arithmetic,
 * in the same order, so results are bit-identical to the plain loops (and to recordings made
 * with them). toEqual compares numbers with Object.is: no tolerance at all.
 */
import { describe, expect, test } from 'vitest';
import type { ActivationName } from '../../src/nn/activations';
import { initNetwork, networkToArrays } from '../../src/nn/network';
import { createRng } from '../../src/nn/random';
import { Trainer } from '../../src/nn/trainer';
import type { Regularization } from '../../src/nn/regularization';
import { referenceStep } from './reference';

const REGULARIZATIONS: (Regularization | null)[] = [
  null,
  { kind: 'l1', rate: 0.03 },
  { kind: 'l2', rate: 0.07 },
];

const SHAPES: { layers: number[]; activations: ActivationName[] }[] = [
  { layers: [3, 8, 1], activations: ['sigmoid', 'linear'] },
  { layers: [8, 16, 16, 1], activations: ['sigmoid', 'sigmoid', 'linear'] },
  // Unit counts around the block of four: 0, 1, 2 and 3 left over.
  { layers: [5, 7, 9, 6, 2], activations: ['tanh', 'relu', 'sigmoid', 'linear'] },
  { layers: [1, 4, 3, 2], activations: ['relu', 'tanh', 'sigmoid'] },
];

function rows(values: Float64Array, width: number, count: number): number[][] {
  return Array.from({ length: count }, (_, s) =>
    Array.from(values.subarray(s * width, (s + 1) * width)),
  );
}

describe('a step is the textbook loops, bit for bit', () => {
  for (const { layers, activations } of SHAPES) {
    for (const batch of [1, 3, 8]) {
      for (const [trainBiases, reg] of [true, false].flatMap((t) =>
        REGULARIZATIONS.map((r) => [t, r] as const),
      )) {
        test(`${layers.join('-')} ${activations.join(',')}, batch ${batch}, biases ${trainBiases ? 'trained' : 'frozen'}, regularization ${reg ? reg.kind : 'none'}`, () => {
          const network = initNetwork({ layers, activations, trainBiases }, 11);
          const rng = createRng(batch * 31 + layers.length);
          network.biases.forEach((b) => b.forEach((_, j) => (b[j] = rng() - 0.5)));
          const trainer = new Trainer(network, batch);
          trainer.regularization = reg;
          const inCount = layers[0]!;
          const outCount = layers.at(-1)!;
          const x = Float64Array.from({ length: batch * inCount }, () => 4 * rng() - 2);
          const y = Float64Array.from({ length: batch * outCount }, () => 2 * rng() - 1);
          // A second step too: it starts from weights the kernel itself updated.
          for (const rate of [0.3, 0.05]) {
            const before = networkToArrays(network);
            const expected = referenceStep(
              { activations, ...before },
              rows(x, inCount, batch),
              rows(y, outCount, batch),
              rate,
              trainBiases,
              reg,
            );
            trainer.step(x, y, batch, rate);
            const { trace } = trainer;
            expect(trace.loss).toBe(expected.loss);
            for (let l = 0; l < layers.length - 1; l++) {
              const units = layers[l + 1]!;
              expect(rows(trace.z[l]!, units, batch)).toEqual(expected.samples.map((s) => s.z[l]));
              expect(rows(trace.a[l + 1]!, units, batch)).toEqual(
                expected.samples.map((s) => s.a[l + 1]),
              );
              expect(rows(trace.delta[l]!, units, batch)).toEqual(
                expected.samples.map((s) => s.delta[l]),
              );
            }
            expect(rows(trace.error, outCount, batch)).toEqual(
              expected.samples.map((s) => s.error),
            );
            expect(
              networkToArrays({ ...network, weights: trace.gradWeights, biases: trace.gradBiases }),
            ).toEqual({
              weights: expected.gradWeights,
              biases: expected.gradBiases,
            });
            expect(networkToArrays(network)).toEqual({
              weights: expected.weightsAfter,
              biases: expected.biasesAfter,
            });
          }
        });
      }
    }
  }
});
