/**
 * A dense network: its spec and its parameters on one Float64Array.
 *
 * `weights[l]` is the matrix from layer l to layer l+1 (weights[0] is the source's w1),
 * row-major with one row per unit of layer l+1: element (j, i), at `[j * layers[l] + i]`,
 * connects unit i of layer l to unit j of layer l+1. `biases[l]` holds one bias per unit of
 * layer l+1. Layer 0 is the input layer.
 *
 * `params` holds them all: every weight matrix in order, then every bias vector in order;
 * `weights[l]` and `biases[l]` are views onto it (writing one writes the other). One array
 * lets the trainer copy every parameter with one `set` and update them all in one loop,
 * rather than a loop and a call per matrix.
 */
import { createRng } from './random';
import type { ActivationName } from './activations';
import { findParametersProblem, findSpecProblem, formatProblem } from './networkChecks';

export interface NetworkSpec {
  /** Units per layer, input first, e.g. [2, 2, 2]. */
  layers: number[];
  /** One per non-input layer. */
  activations: ActivationName[];
  /** False freezes the biases (textbook examples do); their gradients are still computed. */
  trainBiases: boolean;
}

export interface Network {
  spec: NetworkSpec;
  readonly params: Float64Array;
  readonly weights: readonly Float64Array[];
  readonly biases: readonly Float64Array[];
}

/** Where the weights end in `params` (and the biases begin). */
export function weightCount(layers: readonly number[]): number {
  let count = 0;
  for (let l = 0; l + 1 < layers.length; l++) count += layers[l]! * layers[l + 1]!;
  return count;
}

/**
 * Per-layer views onto `params` in the Network layout: `weights[l]` and `biases[l]`. The
 * trace lays out its before/after/gradient arrays the same way.
 */
export function layerViews(
  layers: readonly number[],
  params: Float64Array,
): { weights: Float64Array[]; biases: Float64Array[] } {
  const weights: Float64Array[] = [];
  const biases: Float64Array[] = [];
  let w = 0;
  let b = weightCount(layers);
  for (let l = 0; l + 1 < layers.length; l++) {
    const size = layers[l]! * layers[l + 1]!;
    weights.push(params.subarray(w, w + size));
    biases.push(params.subarray(b, b + layers[l + 1]!));
    w += size;
    b += layers[l + 1]!;
  }
  return { weights, biases };
}

/** A network of the (valid) spec on `params` (not copied); it keeps a copy of the spec. */
function networkOn(spec: NetworkSpec, params: Float64Array): Network {
  return { spec: copySpec(spec), params, ...layerViews(spec.layers, params) };
}

/** Throws an Error saying what is wrong and where if the spec is outside the limits. */
export function validateSpec(spec: NetworkSpec): void {
  const problem = findSpecProblem(spec);
  if (problem) throw new Error(`invalid network spec: ${formatProblem(problem)}`);
}

function copySpec(spec: NetworkSpec): NetworkSpec {
  return {
    layers: [...spec.layers],
    activations: [...spec.activations],
    trainBiases: spec.trainBiases,
  };
}

/** Number of weights and biases (frozen biases included). */
export function parameterCount(spec: NetworkSpec): number {
  return weightCount(spec.layers) + spec.layers.slice(1).reduce((sum, n) => sum + n, 0);
}

/** A network of the (valid) spec with every parameter 0; it keeps a copy of the spec. */
function zeroNetwork(spec: NetworkSpec): Network {
  return networkOn(spec, new Float64Array(parameterCount(spec)));
}

/**
 * A fresh network whose weights come from `seed`, biases 0.
 *
 * Each weight is drawn uniformly from [−r, r), matrix by matrix (weights[0] first), in
 * storage order (row j = unit of the next layer, then column i):
 * - layers whose activation is sigmoid, tanh or linear: Glorot/Xavier uniform,
 *   r = √(6 / (fan_in + fan_out)), which keeps the variance of activations and gradients
 *   roughly equal from layer to layer for these near-linear-at-0 functions;
 * - relu layers: He uniform, r = √(6 / fan_in), twice Glorot's variance because relu
 *   zeroes half of its inputs.
 * Biases start at 0: the random weights already break the symmetry between units.
 */
export function initNetwork(spec: NetworkSpec, seed: number): Network {
  validateSpec(spec);
  const rng = createRng(seed);
  const net = zeroNetwork(spec);
  for (const [l, matrix] of net.weights.entries()) {
    const fanIn = spec.layers[l]!;
    const fanOut = spec.layers[l + 1]!;
    const range =
      spec.activations[l] === 'relu' ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
    for (let k = 0; k < matrix.length; k++) matrix[k] = (2 * rng() - 1) * range;
  }
  return net;
}

export function cloneNetwork(net: Network): Network {
  return networkOn(net.spec, net.params.slice());
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

/**
 * Copies the weights and biases of `src` into `dst`'s own arrays (so a Trainer holding
 * `dst` sees them). Both must have the same layers and activations; `dst` keeps its
 * trainBiases, which is a training option rather than part of the parameters.
 */
export function copyNetworkInto(src: Network, dst: Network): void {
  if (
    !sameList(src.spec.layers, dst.spec.layers) ||
    !sameList(src.spec.activations, dst.spec.activations)
  ) {
    throw new Error(
      `copyNetworkInto: the networks differ in layers or activations ` +
        `([${src.spec.layers.join(',')}] ${src.spec.activations.join(',')} vs ` +
        `[${dst.spec.layers.join(',')}] ${dst.spec.activations.join(',')})`,
    );
  }
  dst.params.set(src.params);
}

/**
 * A network from parameters in the file layout: `weights[l][j][i]` connects unit i of
 * layer l to unit j of layer l+1, `biases[l][j]` is the bias of unit j of layer l+1.
 * Throws an Error saying what is wrong and where.
 */
export function networkFromArrays(
  spec: NetworkSpec,
  weights: number[][][],
  biases: number[][],
): Network {
  validateSpec(spec);
  const problem = findParametersProblem(spec.layers, weights, biases);
  if (problem) throw new Error(`invalid network parameters: ${formatProblem(problem)}`);
  const net = zeroNetwork(spec);
  net.weights.forEach((matrix, l) => matrix.set(weights[l]!.flat()));
  net.biases.forEach((vector, l) => vector.set(biases[l]!));
  return net;
}

/** The parameters in the file layout (see networkFromArrays), as plain arrays. */
export function networkToArrays(net: Network): { weights: number[][][]; biases: number[][] } {
  const { layers } = net.spec;
  const weights = net.weights.map((matrix, l) => {
    const cols = layers[l]!;
    const rows: number[][] = [];
    for (let j = 0; j < layers[l + 1]!; j++) {
      rows.push(Array.from(matrix.subarray(j * cols, (j + 1) * cols)));
    }
    return rows;
  });
  return { weights, biases: net.biases.map((b) => Array.from(b)) };
}
