import type { Dataset } from '../dataset';
import type { NetworkFile } from '../../nn/networkFile';

const SOURCE =
  'Matt Mazur, "A Step by Step Backpropagation Example" (2015), ' +
  'https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/';

/** The single training sample of Mazur's walkthrough, so a class can check every number. */
export function workedExampleDataset(): Dataset {
  return {
    id: 'worked-example',
    title: 'Worked example (Mazur)',
    description:
      `The single sample from ${SOURCE}: inputs 0.05 and 0.10, targets 0.01 and 0.99. ` +
      'With the matching starting network, every value can be checked against the article.',
    inputs: [
      { name: 'i1', format: 'number' },
      { name: 'i2', format: 'number' },
    ],
    targets: [
      { name: 'o1', format: 'number' },
      { name: 'o2', format: 'number' },
    ],
    rows: 1,
    x: Float64Array.of(0.05, 0.1),
    y: Float64Array.of(0.01, 0.99),
  };
}

/**
 * Mazur's starting network in the network file format (docs/network-file.md): weights
 * w1…w8, biases b1 = 0.35 and b2 = 0.60. The article never updates the biases, hence
 * trainBiases: false. Deep-frozen because every importer shares this one object:
 * structuredClone it before changing anything (a write throws).
 */
export const WORKED_EXAMPLE_NETWORK: Required<NetworkFile> = deepFreeze({
  layers: [2, 2, 2],
  activations: ['sigmoid', 'sigmoid'],
  trainBiases: false,
  weights: [
    [
      [0.15, 0.2],
      [0.25, 0.3],
    ],
    [
      [0.4, 0.45],
      [0.5, 0.55],
    ],
  ],
  biases: [
    [0.35, 0.35],
    [0.6, 0.6],
  ],
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
