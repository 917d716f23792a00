import { describe, expect, test } from 'vitest';
import {
  cloneNetwork,
  copyNetworkInto,
  initNetwork,
  networkFromArrays,
  networkToArrays,
  parameterCount,
  validateSpec,
  type NetworkSpec,
} from '../../src/nn/network';

const SPEC: NetworkSpec = {
  layers: [3, 4, 2],
  activations: ['tanh', 'sigmoid'],
  trainBiases: true,
};

describe('validateSpec', () => {
  const spec = (layers: unknown, activations: unknown, trainBiases: unknown = true) =>
    ({ layers, activations, trainBiases }) as NetworkSpec;

  test('accepts the limits: 2 to 8 layers, 1 to 64 units', () => {
    expect(() => validateSpec(spec([1, 64], ['linear']))).not.toThrow();
    expect(() => validateSpec(spec(new Array(8).fill(2), new Array(7).fill('relu')))).not.toThrow();
  });

  test.each([
    [spec([2], []), 'layers: expected 2 to 8 layers (input, up to 6 hidden, output), got 1'],
    [spec(new Array(9).fill(2), new Array(8).fill('relu')), 'layers: expected 2 to 8 layers'],
    [spec([2, 65], ['relu']), 'layers[1]: expected a whole number of units from 1 to 64, got 65'],
    [spec([2, 0], ['relu']), 'layers[1]: expected a whole number of units from 1 to 64, got 0'],
    [spec([2.5, 1], ['relu']), 'layers[0]: expected a whole number of units'],
    [spec([2, 2, 1], ['relu']), 'activations: expected 2 names (one per non-input layer), got 1'],
    [
      spec([2, 2, 1], ['relu', 'softmax']),
      'activations[1]: unknown activation "softmax" (expected sigmoid, tanh, relu or linear)',
    ],
    [spec([2, 1], ['relu'], 'yes'), 'trainBiases: expected true or false, got "yes"'],
    [spec('2-1', ['relu']), 'layers: expected an array of unit counts, got "2-1"'],
  ])('refuses %j', (bad, message) => {
    expect(() => validateSpec(bad)).toThrow(message);
  });
});

describe('initNetwork', () => {
  test('same seed, same weights; different seed, different weights; biases 0', () => {
    const a = initNetwork(SPEC, 1);
    expect(initNetwork(SPEC, 1)).toEqual(a);
    expect(initNetwork(SPEC, 2).weights).not.toEqual(a.weights);
    for (const b of a.biases) expect(Array.from(b)).toEqual(new Array(b.length).fill(0));
  });

  test('Glorot uniform for sigmoid/tanh/linear, He uniform for relu', () => {
    const spec: NetworkSpec = {
      layers: [60, 40, 50],
      activations: ['relu', 'sigmoid'],
      trainBiases: true,
    };
    const { weights } = initNetwork(spec, 3);
    const he = Math.sqrt(6 / 60);
    const glorot = Math.sqrt(6 / (40 + 50));
    const range = (w: Float64Array) => [Math.min(...w), Math.max(...w)];
    const [heMin, heMax] = range(weights[0]!);
    const [glMin, glMax] = range(weights[1]!);
    // Within the bound, and (2400 and 2000 draws) reaching close to it.
    expect(heMin).toBeGreaterThanOrEqual(-he);
    expect(heMax).toBeLessThan(he);
    expect(Math.min(-heMin!, heMax!)).toBeGreaterThan(0.99 * he);
    expect(glMin).toBeGreaterThanOrEqual(-glorot);
    expect(glMax).toBeLessThan(glorot);
    expect(Math.min(-glMin!, glMax!)).toBeGreaterThan(0.99 * glorot);
  });

  test('keeps its own copy of the spec', () => {
    const spec: NetworkSpec = { ...SPEC, layers: [...SPEC.layers] };
    const net = initNetwork(spec, 1);
    spec.layers[0] = 9;
    expect(net.spec.layers[0]).toBe(3);
  });
});

describe('layout and conversions', () => {
  const weights = [
    [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
      [10, 11, 12],
    ],
    [
      [13, 14, 15, 16],
      [17, 18, 19, 20],
    ],
  ];
  const biases = [
    [0.1, 0.2, 0.3, 0.4],
    [0.5, 0.6],
  ];

  test('element (j, i) of weights[l] is at [j * layers[l] + i]', () => {
    const net = networkFromArrays(SPEC, weights, biases);
    expect(net.weights[0]![2 * 3 + 1]).toBe(weights[0]![2]![1]);
    expect(net.weights[1]![1 * 4 + 3]).toBe(weights[1]![1]![3]);
    expect(Array.from(net.weights[0]!)).toEqual(weights[0]!.flat());
    expect(Array.from(net.biases[1]!)).toEqual(biases[1]);
  });

  test('params holds every weight matrix, then every bias vector; the layers are views', () => {
    const net = networkFromArrays(SPEC, weights, biases);
    expect(Array.from(net.params)).toEqual([...weights.flat(2), ...biases.flat()]);
    net.weights[1]![3] = 99;
    net.params[3 * 4 + 4 * 2] = -7; // the first bias
    expect(net.params[3 * 4 + 3]).toBe(99);
    expect(net.biases[0]![0]).toBe(-7);
  });

  test('networkToArrays inverts networkFromArrays', () => {
    expect(networkToArrays(networkFromArrays(SPEC, weights, biases))).toEqual({ weights, biases });
  });

  test('networkFromArrays says what is wrong and where', () => {
    const short = [weights[0]!, [weights[1]![0]!]];
    expect(() => networkFromArrays(SPEC, short, biases)).toThrow(
      'weights[1]: expected 2 rows (units of layers[2]), got 1',
    );
    const nan = [weights[0]!, [weights[1]![0]!, [17, 18, NaN, 20]]];
    expect(() => networkFromArrays(SPEC, nan, biases)).toThrow(
      'weights[1][1][2]: expected a finite number, got NaN',
    );
  });

  test('parameterCount counts weights and biases', () => {
    expect(parameterCount(SPEC)).toBe(3 * 4 + 4 + 4 * 2 + 2);
    expect(
      parameterCount({
        layers: [2, 2, 2],
        activations: ['sigmoid', 'sigmoid'],
        trainBiases: false,
      }),
    ).toBe(12);
  });
});

describe('cloneNetwork and copyNetworkInto', () => {
  test('a clone is equal and independent', () => {
    const net = initNetwork(SPEC, 1);
    const clone = cloneNetwork(net);
    expect(clone).toEqual(net);
    clone.weights[0]![0] = 42;
    clone.spec.layers[0] = 7;
    expect(net.weights[0]![0]).not.toBe(42);
    expect(clone.params[0]).toBe(42); // the clone's views are onto its own params
    expect(net.spec.layers[0]).toBe(3);
  });

  test('copyNetworkInto writes into the destination arrays', () => {
    const src = initNetwork(SPEC, 1);
    const dst = initNetwork({ ...SPEC, trainBiases: false }, 2);
    const held = dst.weights[0];
    copyNetworkInto(src, dst);
    expect(dst.weights).toEqual(src.weights);
    expect(dst.biases).toEqual(src.biases);
    expect(dst.weights[0]).toBe(held);
    expect(dst.spec.trainBiases).toBe(false);
  });

  test('copyNetworkInto refuses a different architecture', () => {
    const src = initNetwork(SPEC, 1);
    expect(() => copyNetworkInto(src, initNetwork({ ...SPEC, layers: [3, 5, 2] }, 1))).toThrow(
      /differ/,
    );
    expect(() =>
      copyNetworkInto(src, initNetwork({ ...SPEC, activations: ['relu', 'sigmoid'] }, 1)),
    ).toThrow(/differ/);
  });
});
