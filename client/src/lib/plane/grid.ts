/**
 * The network evaluated over the input plane: one forward pass per grid cell, every layer's
 * activations kept, so that the output heatmap and every unit's small picture come from one
 * computation. It runs the kernel's own `forwardLayer` on all cells at once (cells are the
 * batch), on buffers allocated once per shape: a 2-8-8-1 network on 64×64 cells is 4096
 * forwards and no allocation per frame.
 */
import { activationCode, forwardLayer, type ActivationName } from '@backprop/shared/nn';
import type { NetworkValues } from '@backprop/shared/session';
import { flattenWeights } from '../paint/flat-weights';

/** Writes the network's input units for the point (x₁, x₂) at `out[offset…]`. */
export type InputMap = (x1: number, x2: number, out: Float64Array, offset: number) => void;

/** The raw coordinates as the two inputs (no features). */
export const RAW_INPUTS: InputMap = (x1, x2, out, offset) => {
  out[offset] = x1;
  out[offset + 1] = x2;
};

/**
 * A network's weights and biases each in one array, layer after layer (weights row after
 * row: [l][to][from]), as the grid and `forwardLayer` read them, and as they travel to the
 * paint worker (a typed array clones at memcpy speed; nested arrays do not).
 */
export interface FlatNetwork {
  weights: Float64Array;
  biases: Float64Array;
}

/** The network flattened for a grid of these layers; throws if its shape is another. */
export function flatNetwork(layers: readonly number[], network: NetworkValues): FlatNetwork {
  for (let l = 0; l + 1 < layers.length; l++) {
    const rows = network.weights[l];
    const units = layers[l + 1]!;
    if (
      rows?.length !== units ||
      network.biases[l]?.length !== units ||
      rows.some((row) => row.length !== layers[l])
    ) {
      throw new RangeError(`the network's layer ${l + 1} does not match the grid's shape`);
    }
  }
  return {
    weights: flattenWeights(layers, network.weights),
    biases: Float64Array.from(network.biases.slice(0, layers.length - 1).flat()),
  };
}

export interface GridShape {
  /** Units per layer, input first. */
  layers: readonly number[];
  activations: readonly ActivationName[];
  /** Cells per side. */
  resolution: number;
  /** The plane is [−extent, extent]² in x₁, x₂. */
  extent: number;
}

/**
 * Cell (row, col) is at index row·resolution + col. Row 0 is the top of the picture (the
 * largest x₂), column 0 the left (the smallest x₁), so an image drawn row by row has x₂
 * pointing up as on a chalkboard.
 */
export function cellCentre(shape: GridShape, index: number): [x1: number, x2: number] {
  const { resolution: n, extent } = shape;
  const row = Math.floor(index / n);
  const col = index - row * n;
  const size = (2 * extent) / n;
  return [-extent + (col + 0.5) * size, extent - (row + 0.5) * size];
}

export class PlaneGrid {
  readonly shape: GridShape;
  readonly cells: number;
  /** activations[l]: cells × layers[l] (cell-major); [0] holds the inputs, the last the output. */
  readonly activations: Float64Array[];
  readonly #z: Float64Array[];
  readonly #weightCount: number;
  readonly #biasCount: number;
  readonly #codes: number[];
  #inputMap: InputMap | null = null;

  constructor(shape: GridShape) {
    const { layers, resolution } = shape;
    if (layers.length < 2 || shape.activations.length !== layers.length - 1) {
      throw new RangeError('a grid needs one activation per layer after the input');
    }
    this.shape = { ...shape, layers: [...layers], activations: [...shape.activations] };
    this.cells = resolution * resolution;
    this.activations = layers.map((units) => new Float64Array(this.cells * units));
    this.#z = layers.slice(1).map((units) => new Float64Array(this.cells * units));
    this.#weightCount = layers.slice(1).reduce((n, units, l) => n + units * layers[l]!, 0);
    this.#biasCount = layers.slice(1).reduce((n, units) => n + units, 0);
    this.#codes = shape.activations.map(activationCode);
  }

  /** Whether this grid's buffers fit a network of these layers and activations. */
  fits(shape: GridShape): boolean {
    const mine = this.shape;
    return (
      mine.resolution === shape.resolution &&
      mine.extent === shape.extent &&
      sameList(mine.layers, shape.layers) &&
      sameList(mine.activations, shape.activations)
    );
  }

  /**
   * Runs the network over every cell. The inputs are computed again only when `inputs` is
   * another function than last time (the features of a setup do not change during play).
   */
  evaluate(network: FlatNetwork, inputs: InputMap): void {
    const { layers } = this.shape;
    if (network.weights.length !== this.#weightCount || network.biases.length !== this.#biasCount) {
      throw new RangeError("the network does not match the grid's shape");
    }
    if (this.#inputMap !== inputs) {
      const a0 = this.activations[0]!;
      for (let c = 0; c < this.cells; c++) {
        const [x1, x2] = cellCentre(this.shape, c);
        inputs(x1, x2, a0, c * layers[0]!);
      }
      this.#inputMap = inputs;
    }
    let w = 0;
    let b = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      const inUnits = layers[l]!;
      const outUnits = layers[l + 1]!;
      forwardLayer(
        network.weights.subarray(w, w + outUnits * inUnits),
        network.biases.subarray(b, b + outUnits),
        this.#codes[l]!,
        this.activations[l]!,
        inUnits,
        this.#z[l]!,
        this.activations[l + 1]!,
        outUnits,
        this.cells,
      );
      w += outUnits * inUnits;
      b += outUnits;
    }
  }

  /** The value of one unit at every cell, copied into `out` (length ≥ cells). */
  unitValues(layer: number, unit: number, out: Float64Array): Float64Array {
    return this.unitValuesEvery(1, layer, unit, out);
  }

  /**
   * The unit's values at every `every`-th row and column (a coarser picture for the small
   * ones: (resolution / every)² values into `out`).
   */
  unitValuesEvery(every: number, layer: number, unit: number, out: Float64Array): Float64Array {
    const n = this.shape.resolution;
    const units = this.shape.layers[layer]!;
    const source = this.activations[layer]!;
    let k = 0;
    for (let row = 0; row < n; row += every) {
      for (let col = 0; col < n; col += every) out[k++] = source[(row * n + col) * units + unit]!;
    }
    return out;
  }
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((value, k) => value === b[k]);
}
