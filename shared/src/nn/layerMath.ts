/**
 * The arithmetic of one stage on flat batch-major arrays: plain loops over Float64Arrays,
 * the activation chosen by integer code, no allocation. The trainer's staged and whole
 * steps, predict and evaluateLoss all run these same functions, which is what makes their
 * results bit-identical.
 */
import { activateRange, timesDerRange } from './activations';
import { MAX_ABS_PARAMETER } from './networkChecks';

/** For `rows` samples: z = W·a + b, out = f(z). W is outUnits × inUnits, row-major. */
export function forwardLayer(
  weights: Float64Array,
  biases: Float64Array,
  code: number,
  input: Float64Array,
  inUnits: number,
  z: Float64Array,
  output: Float64Array,
  outUnits: number,
  rows: number,
): void {
  for (let s = 0; s < rows; s++) {
    const inBase = s * inUnits;
    const outBase = s * outUnits;
    for (let j = 0; j < outUnits; j++) {
      const wBase = j * inUnits;
      let sum = biases[j]!;
      for (let i = 0; i < inUnits; i++) sum += weights[wBase + i]! * input[inBase + i]!;
      z[outBase + j] = sum;
    }
  }
  activateRange(code, z, output, 0, rows * outUnits);
}

/** ½Σₖ(ŷₖ − yₖ)² of one sample, ŷ at `output[outBase…]`, y at `target[targetBase…]`. */
export function halfSquaredError(
  output: Float64Array,
  outBase: number,
  target: ArrayLike<number>,
  targetBase: number,
  units: number,
): number {
  let sum = 0;
  for (let k = 0; k < units; k++) {
    const e = output[outBase + k]! - target[targetBase + k]!;
    sum += e * e;
  }
  return 0.5 * sum;
}

/** error = ŷ − y and the per-sample losses; returns the mean loss. */
export function outputError(
  output: Float64Array,
  target: Float64Array,
  error: Float64Array,
  sampleLoss: Float64Array,
  outUnits: number,
  rows: number,
): void {
  // Returns nothing on purpose: a double returned from a call that V8 does not inline is
  // boxed on the heap, which would make every step allocate. The caller sums sampleLoss.
  for (let s = 0; s < rows; s++) {
    let loss = 0;
    for (let k = s * outUnits, end = k + outUnits; k < end; k++) {
      const e = output[k]! - target[k]!;
      error[k] = e;
      loss += e * e;
    }
    sampleLoss[s] = 0.5 * loss;
  }
}

/** δᴸ = (ŷ − y) ⊙ f′(zᴸ). */
export function outputDelta(
  error: Float64Array,
  z: Float64Array,
  output: Float64Array,
  code: number,
  delta: Float64Array,
  outUnits: number,
  rows: number,
): void {
  timesDerRange(code, error, z, output, delta, 0, rows * outUnits);
}

/**
 * δˡ = (W[l+1]ᵀ δˡ⁺¹) ⊙ f′(zˡ): `nextWeights` is W[l+1] (nextUnits × units), read before
 * the update, as backprop requires.
 */
export function hiddenDelta(
  nextWeights: Float64Array,
  nextDelta: Float64Array,
  nextUnits: number,
  z: Float64Array,
  output: Float64Array,
  code: number,
  delta: Float64Array,
  units: number,
  rows: number,
): void {
  for (let s = 0; s < rows; s++) {
    const base = s * units;
    const nextBase = s * nextUnits;
    for (let i = 0; i < units; i++) {
      let sum = 0;
      for (let j = 0; j < nextUnits; j++) {
        sum += nextWeights[j * units + i]! * nextDelta[nextBase + j]!;
      }
      delta[base + i] = sum;
    }
  }
  timesDerRange(code, delta, z, output, delta, 0, rows * units);
}

/** Batch means ∂E/∂W = mean over samples of δ a_prevᵀ, and ∂E/∂b = mean of δ. */
export function layerGradients(
  delta: Float64Array,
  outUnits: number,
  input: Float64Array,
  inUnits: number,
  gradWeights: Float64Array,
  gradBiases: Float64Array,
  rows: number,
): void {
  const scale = 1 / rows;
  for (let j = 0; j < outUnits; j++) {
    const wBase = j * inUnits;
    for (let i = 0; i < inUnits; i++) {
      let sum = 0;
      for (let s = 0; s < rows; s++) sum += delta[s * outUnits + j]! * input[s * inUnits + i]!;
      gradWeights[wBase + i] = sum * scale;
    }
    let sum = 0;
    for (let s = 0; s < rows; s++) sum += delta[s * outUnits + j]!;
    gradBiases[j] = sum * scale;
  }
}

/** Flags returned by applyGradient. */
export const NON_FINITE = 1;
export const EXPLODING = 2;

/**
 * after = before − rate·grad, element by element, written into both `after` (the trace)
 * and `live` (the network; the caller restores it from `before` if the step is refused).
 * Returns NON_FINITE and/or EXPLODING (|value| > MAX_ABS_PARAMETER) if any new value is
 * so, else 0.
 */
export function applyGradient(
  before: Float64Array,
  grad: Float64Array,
  rate: number,
  after: Float64Array,
  live: Float64Array,
): number {
  let flags = 0;
  for (let k = 0; k < before.length; k++) {
    const value = before[k]! - rate * grad[k]!;
    after[k] = value;
    live[k] = value;
    const size = Math.abs(value);
    // One comparison on the common path; NaN fails every comparison.
    if (!(size <= MAX_ABS_PARAMETER)) {
      flags |= size > MAX_ABS_PARAMETER && size !== Infinity ? EXPLODING : NON_FINITE;
    }
  }
  return flags;
}

/**
 * dst[k] = src[k]. For the few dozen values of a teaching network a plain loop beats
 * TypedArray.prototype.set, whose per-call overhead dominates at this size.
 */
export function copyValues(src: Float64Array, dst: Float64Array): void {
  for (let k = 0; k < src.length; k++) dst[k] = src[k]!;
}
