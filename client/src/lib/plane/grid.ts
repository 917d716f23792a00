/**
 * The network evaluated over the input plane: one forward pass per grid cell, every layer's
 * activations kept, so that the output heatmap and every unit's small picture come from one
 * computation. It runs the kernel's own `forwardLayer` on all cells at once (cells are the
 * batch), on buffers allocated once per shape: a 2-8-8-1 network on 64×64 cells is 4096
 * forwards and no allocation per frame.
 */
import { activationCode, forwardLayer, type ActivationName } from '@backprop/shared/nn';
import type { NetworkValues } from '@backprop/shared/session';

/** Writes the network's input units for the point (x₁, x₂) at `out[offset…]`. */
export type InputMap = (x1: number, x2: number, out: Float64Array, offset: number) => void;

/** The raw coordinates as the two inputs (no features). */
export const RAW_INPUTS: InputMap = (x1, x2, out, offset) => {
  out[offset] = x1;
  out[offset + 1] = x2;
};

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
  activations: Float64Array[];
  readonly #z: Float64Array[];
  readonly #weights: Float64Array[];
  readonly #biases: Float64Array[];
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
    this.#weights = layers.slice(1).map((units, l) => new Float64Array(units * layers[l]!));
    this.#biases = layers.slice(1).map((units) => new Float64Array(units));
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
  evaluate(network: NetworkValues, inputs: InputMap): void {
    const { layers } = this.shape;
    if (this.#inputMap !== inputs) {
      const a0 = this.activations[0]!;
      for (let c = 0; c < this.cells; c++) {
        const [x1, x2] = cellCentre(this.shape, c);
        inputs(x1, x2, a0, c * layers[0]!);
      }
      this.#inputMap = inputs;
    }
    for (let l = 0; l + 1 < layers.length; l++) {
      const w = this.#weights[l]!;
      const b = this.#biases[l]!;
      const inUnits = layers[l]!;
      const rows = network.weights[l];
      const bias = network.biases[l];
      if (!rows || !bias || rows.length !== layers[l + 1] || bias.length !== layers[l + 1]) {
        throw new RangeError(`the network's layer ${l + 1} does not match the grid's shape`);
      }
      for (let j = 0; j < rows.length; j++) {
        const row = rows[j]!;
        for (let i = 0; i < inUnits; i++) w[j * inUnits + i] = row[i] ?? 0;
        b[j] = bias[j]!;
      }
      forwardLayer(
        w,
        b,
        this.#codes[l]!,
        this.activations[l]!,
        inUnits,
        this.#z[l]!,
        this.activations[l + 1]!,
        layers[l + 1]!,
        this.cells,
      );
    }
  }

  /** Takes activations evaluated elsewhere (grid-worker.ts) for a grid of this shape. */
  adopt(activations: Float64Array[]): void {
    const sizes = this.shape.layers.map((units) => units * this.cells);
    if (activations.length !== sizes.length || activations.some((a, l) => a.length !== sizes[l])) {
      throw new RangeError("the activations do not match the grid's shape");
    }
    this.activations = activations;
    // The inputs are now the evaluator's: computed again at the next evaluate() here.
    this.#inputMap = null;
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
