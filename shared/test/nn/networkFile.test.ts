import { describe, expect, test } from 'vitest';
import { initNetwork, networkToArrays } from '../../src/nn/network';
import {
  NetworkFileError,
  parseNetworkFile,
  parseNetworkFileText,
  serializeNetworkFile,
} from '../../src/nn/networkFile';

const MAZUR = {
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
};

describe('parseNetworkFile', () => {
  test('reads the worked example', () => {
    const { spec, network } = parseNetworkFile(MAZUR);
    expect(spec).toEqual({
      layers: [2, 2, 2],
      activations: ['sigmoid', 'sigmoid'],
      trainBiases: false,
    });
    expect(Array.from(network!.weights[0]!)).toEqual([0.15, 0.2, 0.25, 0.3]);
    expect(Array.from(network!.biases[1]!)).toEqual([0.6, 0.6]);
  });

  test('weights and biases are optional; trainBiases defaults to true', () => {
    const result = parseNetworkFile({ layers: [2, 3, 1], activations: ['relu', 'linear'] });
    expect(result).toEqual({
      spec: { layers: [2, 3, 1], activations: ['relu', 'linear'], trainBiases: true },
    });
    expect(result.network).toBeUndefined();
  });

  test('the result shares no arrays with the input', () => {
    const file = structuredClone(MAZUR);
    const { spec } = parseNetworkFile(file);
    file.layers[0] = 5;
    expect(spec.layers[0]).toBe(2);
  });

  const withChange = (change: Record<string, unknown>) => ({
    ...structuredClone(MAZUR),
    ...change,
  });
  const without = (key: keyof typeof MAZUR) => {
    const copy: Record<string, unknown> = structuredClone(MAZUR);
    delete copy[key];
    return copy;
  };

  test.each([
    ['an array', [1, 2], '', 'expected a JSON object at the top level, got an array of 2'],
    ['null', null, '', 'expected a JSON object at the top level, got null'],
    ['an unknown key', withChange({ optimizer: 'adam' }), 'optimizer', 'unknown field'],
    ['no layers', without('layers'), 'layers', 'layers: missing'],
    ['no activations', without('activations'), 'activations', 'activations: missing'],
    ['weights without biases', without('biases'), 'biases', 'give both or neither'],
    ['biases without weights', without('weights'), 'weights', 'give both or neither'],
    [
      'an unknown activation',
      withChange({ activations: ['sigmoid', 'softmax'] }),
      'activations[1]',
      'activations[1]: unknown activation "softmax" (expected sigmoid, tanh, relu or linear)',
    ],
    ['too many layers', withChange({ layers: new Array(9).fill(2) }), 'layers', 'expected 2 to 8'],
    ['a zero-unit layer', withChange({ layers: [2, 0, 2] }), 'layers[1]', 'units from 1 to 64'],
    ['null trainBiases', withChange({ trainBiases: null }), 'trainBiases', 'got null'],
    [
      'a string weight',
      withChange({
        weights: [
          MAZUR.weights[0],
          [
            [0.4, 0.45],
            [0.5, 'x'],
          ],
        ],
      }),
      'weights[1][1][1]',
      'weights[1][1][1]: expected a finite number, got "x"',
    ],
    [
      'three rows for two units',
      withChange({
        weights: [
          [
            [1, 2],
            [3, 4],
            [5, 6],
          ],
          MAZUR.weights[1],
        ],
      }),
      'weights[0]',
      'weights[0]: expected 2 rows (units of layers[1]), got 3',
    ],
    [
      'a short row',
      withChange({ weights: [[[1, 2], [3]], MAZUR.weights[1]] }),
      'weights[0][1]',
      'weights[0][1]: expected 2 numbers (units of layers[0]), got 1',
    ],
    [
      'one matrix too many',
      withChange({ weights: [...MAZUR.weights, MAZUR.weights[1]] }),
      'weights',
      'weights: expected 2 matrices (one per pair of adjacent layers), got 3',
    ],
    [
      'an exploding weight',
      withChange({
        weights: [
          [
            [1, 2],
            [3, 2e6],
          ],
          MAZUR.weights[1],
        ],
      }),
      'weights[0][1][1]',
      'expected a number within ±1000000',
    ],
    [
      'a short bias vector',
      withChange({ biases: [[0.35], [0.6, 0.6]] }),
      'biases[0]',
      'biases[0]: expected 2 numbers (units of layers[1]), got 1',
    ],
    [
      'a null bias',
      withChange({
        biases: [
          [0.35, 0.35],
          [0.6, null],
        ],
      }),
      'biases[1][1]',
      'biases[1][1]: expected a finite number, got null',
    ],
  ])('refuses %s, saying where', (_, value, path, message) => {
    let error: unknown;
    try {
      parseNetworkFile(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NetworkFileError);
    expect((error as NetworkFileError).path).toBe(path);
    expect((error as NetworkFileError).message).toContain(message);
    if (path !== '') expect((error as NetworkFileError).message.startsWith(`${path}: `)).toBe(true);
  });

  test('parseNetworkFileText refuses text that is not JSON', () => {
    expect(() => parseNetworkFileText('{"layers": [2,')).toThrow(NetworkFileError);
    expect(() => parseNetworkFileText('{"layers": [2,')).toThrow(/not valid JSON/);
  });
});

describe('serializeNetworkFile', () => {
  test('round trip through JSON text', () => {
    const net = initNetwork(
      { layers: [3, 5, 4, 2], activations: ['relu', 'tanh', 'linear'], trainBiases: false },
      7,
    );
    net.biases[1]![2] = -0.125;
    const file = serializeNetworkFile(net);
    const back = parseNetworkFileText(JSON.stringify(file));
    expect(back.network).toEqual(net);
    expect(file).toEqual({
      layers: [3, 5, 4, 2],
      activations: ['relu', 'tanh', 'linear'],
      trainBiases: false,
      ...networkToArrays(net),
    });
  });

  test('the worked example file serializes back to itself', () => {
    expect(serializeNetworkFile(parseNetworkFile(MAZUR).network!)).toEqual(MAZUR);
  });

  test('refuses a non-finite parameter rather than writing null', () => {
    const net = initNetwork({ layers: [2, 1], activations: ['linear'], trainBiases: true }, 1);
    net.weights[0]![1] = Infinity;
    expect(() => serializeNetworkFile(net)).toThrow(
      'weights[0][0][1]: expected a finite number, got Infinity',
    );
  });
});
