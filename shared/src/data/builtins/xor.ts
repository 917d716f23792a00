import type { Dataset } from '../dataset';

/** The four rows of exclusive or: the classic problem one layer cannot solve. */
export function xorDataset(): Dataset {
  return {
    id: 'xor',
    title: 'XOR',
    description:
      'Exclusive or: the output is 1 when exactly one input is 1. No straight line separates ' +
      'the classes, so the network needs a hidden layer.',
    inputs: [
      { name: 'x1', format: 'number' },
      { name: 'x2', format: 'number' },
    ],
    targets: [{ name: 'x1 XOR x2', format: 'number' }],
    rows: 4,
    x: Float64Array.of(0, 0, 0, 1, 1, 0, 1, 1),
    y: Float64Array.of(0, 1, 1, 0),
  };
}
