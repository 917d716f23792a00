import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, Trainer, initNetwork, type ActivationName } from '@backprop/shared/nn';
import type { NetworkValues } from '@backprop/shared/session';
import {
  PlaneGrid,
  RAW_INPUTS,
  cellCentre,
  flatNetwork,
  type InputMap,
} from '../src/lib/plane/grid';

function valuesOf(layers: number[], activations: ActivationName[], seed: number) {
  const net = initNetwork({ layers, activations, trainBiases: true }, seed);
  // Non-zero biases, so that a bias mix-up shows.
  for (const b of net.biases) for (let k = 0; k < b.length; k++) b[k] = 0.1 * (k + 1) - 0.2;
  const values: NetworkValues = {
    weights: net.weights.map((w, l) =>
      Array.from({ length: layers[l + 1]! }, (_, j) =>
        Array.from(w.subarray(j * layers[l]!, (j + 1) * layers[l]!)),
      ),
    ),
    biases: net.biases.map((b) => Array.from(b)),
  };
  return { net, values };
}

/** An independent oracle: the textbook loop with the activations' own {output} functions. */
function textbookForward(values: NetworkValues, activations: ActivationName[], input: number[]) {
  let a = input;
  const all = [a];
  values.weights.forEach((rows, l) => {
    a = rows.map((row, j) =>
      ACTIVATIONS[activations[l]!].output(
        row.reduce((sum, w, i) => sum + w * a[i]!, values.biases[l]![j]!),
      ),
    );
    all.push(a);
  });
  return all;
}

const FEATURES: InputMap = (x1, x2, out, offset) => {
  out[offset] = x1;
  out[offset + 1] = x2;
  out[offset + 2] = x1 * x2;
  out[offset + 3] = Math.sin(x1);
};

describe('PlaneGrid', () => {
  it('cell centres cover the plane: top-left is (−E, +E), x₂ falls row by row', () => {
    const shape = {
      layers: [2, 1],
      activations: ['tanh'] as ActivationName[],
      resolution: 4,
      extent: 6,
    };
    expect(cellCentre(shape, 0)).toEqual([-4.5, 4.5]);
    expect(cellCentre(shape, 3)).toEqual([4.5, 4.5]);
    expect(cellCentre(shape, 4)).toEqual([-4.5, 1.5]);
    expect(cellCentre(shape, 15)).toEqual([4.5, -4.5]);
  });

  it("matches the kernel's own predict, bit for bit, at every cell of a 2-8-8-1 network", () => {
    const layers = [2, 8, 8, 1];
    const activations: ActivationName[] = ['tanh', 'relu', 'sigmoid'];
    const { net, values } = valuesOf(layers, activations, 7);
    const grid = new PlaneGrid({ layers, activations, resolution: 64, extent: 6 });
    grid.evaluate(flatNetwork(layers, values), RAW_INPUTS);
    const trainer = new Trainer(net, 1);
    const out = new Float64Array(1);
    const output = grid.activations[3]!;
    for (let c = 0; c < grid.cells; c += 37) {
      trainer.predict(cellCentre(grid.shape, c), out);
      expect(output[c]).toBe(out[0]);
    }
  });

  it('keeps every hidden unit and feature, as the textbook loop computes them', () => {
    const layers = [4, 3, 2];
    const activations: ActivationName[] = ['tanh', 'linear'];
    const { values } = valuesOf(layers, activations, 11);
    const grid = new PlaneGrid({ layers, activations, resolution: 16, extent: 6 });
    grid.evaluate(flatNetwork(layers, values), FEATURES);
    for (const c of [0, 17, 100, 255]) {
      const [x1, x2] = cellCentre(grid.shape, c);
      const expected = textbookForward(values, activations, [x1, x2, x1 * x2, Math.sin(x1)]);
      expected.forEach((unitsOfLayer, l) =>
        unitsOfLayer.forEach((value, u) =>
          expect(grid.activations[l]![c * layers[l]! + u]).toBeCloseTo(value, 12),
        ),
      );
    }
    const picture = grid.unitValues(1, 2, new Float64Array(grid.cells));
    expect(picture[100]).toBe(grid.activations[1]![100 * 3 + 2]);
  });

  it('follows new weights (and new features) on the same buffers', () => {
    const layers = [2, 2, 1];
    const activations: ActivationName[] = ['tanh', 'tanh'];
    const grid = new PlaneGrid({ layers, activations, resolution: 8, extent: 6 });
    grid.evaluate(flatNetwork(layers, valuesOf(layers, activations, 1).values), RAW_INPUTS);
    const first = grid.activations[2]!.slice();
    grid.evaluate(flatNetwork(layers, valuesOf(layers, activations, 2).values), RAW_INPUTS);
    expect(grid.activations[2]).not.toEqual(first);
    const swapped: InputMap = (x1, x2, out, offset) => RAW_INPUTS(x2, x1, out, offset);
    grid.evaluate(flatNetwork(layers, valuesOf(layers, activations, 2).values), swapped);
    expect(grid.activations[0]![0]).toBe(cellCentre(grid.shape, 0)[1]);
  });

  it('refuses a network of another shape rather than drawing garbage', () => {
    const grid = new PlaneGrid({
      layers: [2, 3, 1],
      activations: ['tanh', 'tanh'],
      resolution: 4,
      extent: 6,
    });
    const { values } = valuesOf([2, 2, 1], ['tanh', 'tanh'], 1);
    expect(() => flatNetwork([2, 3, 1], values)).toThrow(/layer 1/);
    // Flattened for its own shape, it still does not fit this grid.
    expect(() => grid.evaluate(flatNetwork([2, 2, 1], values), RAW_INPUTS)).toThrow(RangeError);
    expect(
      grid.fits({ layers: [2, 3, 1], activations: ['tanh', 'tanh'], resolution: 4, extent: 6 }),
    ).toBe(true);
    expect(
      grid.fits({ layers: [2, 3, 1], activations: ['tanh', 'relu'], resolution: 4, extent: 6 }),
    ).toBe(false);
  });

  it('flattens a network layer after layer, rows in order, as forwardLayer reads them', () => {
    const network: NetworkValues = {
      weights: [
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [[7, 8, 9]],
      ],
      biases: [[0.1, 0.2, 0.3], [0.4]],
    };
    const flat = flatNetwork([2, 3, 1], network);
    expect([...flat.weights]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...flat.biases]).toEqual([0.1, 0.2, 0.3, 0.4]);
    // A row of another length is another shape.
    expect(() =>
      flatNetwork([2, 3, 1], { ...network, weights: [network.weights[0]!, [[7, 8]]] }),
    ).toThrow(/layer 2/);
  });
});
