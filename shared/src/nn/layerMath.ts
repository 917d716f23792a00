/**
 * The arithmetic of one stage on flat batch-major arrays: loops over Float64Arrays, the
 * activation chosen by integer code, no allocation. The trainer's staged and whole steps,
 * predict and evaluateLoss all run these same functions, which is what makes their results
 * bit-identical.
 *
 * The dot products are blocked by four (four sums share each load) because for a teaching
 * network most of a step is the cost of each typed-array access, not the arithmetic. Every
 * sum still adds its terms in textbook order, so the values are those of the plain loops to
 * the bit: shared/test/nn/textbook.test.ts holds that, with no tolerance.
 */
import { activateRange, timesDerRange } from './activations';

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
    let j = 0;
    // Four units at a time (each input loaded once for four products), then the rest one
    // by one; every sum starts from the bias and runs over i in order either way.
    for (; j + 3 < outUnits; j += 4) {
      const w0 = j * inUnits;
      const w1 = w0 + inUnits;
      const w2 = w1 + inUnits;
      const w3 = w2 + inUnits;
      let s0 = biases[j]!;
      let s1 = biases[j + 1]!;
      let s2 = biases[j + 2]!;
      let s3 = biases[j + 3]!;
      for (let i = 0; i < inUnits; i++) {
        const x = input[inBase + i]!;
        s0 += weights[w0 + i]! * x;
        s1 += weights[w1 + i]! * x;
        s2 += weights[w2 + i]! * x;
        s3 += weights[w3 + i]! * x;
      }
      z[outBase + j] = s0;
      z[outBase + j + 1] = s1;
      z[outBase + j + 2] = s2;
      z[outBase + j + 3] = s3;
    }
    for (; j < outUnits; j++) {
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
    let i = 0;
    // Four units at a time (each δ of the next layer loaded once for four products), then
    // the rest one by one; every sum runs over j in order either way.
    for (; i + 3 < units; i += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0, w = i; j < nextUnits; j++, w += units) {
        const d = nextDelta[nextBase + j]!;
        s0 += nextWeights[w]! * d;
        s1 += nextWeights[w + 1]! * d;
        s2 += nextWeights[w + 2]! * d;
        s3 += nextWeights[w + 3]! * d;
      }
      delta[base + i] = s0;
      delta[base + i + 1] = s1;
      delta[base + i + 2] = s2;
      delta[base + i + 3] = s3;
    }
    for (; i < units; i++) {
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
  if (rows === 1) {
    // The common single-sample step: the sum over samples below would be 0 + δⱼ·aᵢ scaled
    // by 1, so it is written directly (same value, bit for bit), without a loop of one.
    for (let j = 0; j < outUnits; j++) {
      const d = delta[j]!;
      const wBase = j * inUnits;
      for (let i = 0; i < inUnits; i++) gradWeights[wBase + i] = 0 + d * input[i]!;
      gradBiases[j] = 0 + d;
    }
    return;
  }
  const scale = 1 / rows;
  for (let j = 0; j < outUnits; j++) {
    const wBase = j * inUnits;
    let i = 0;
    // Four weights at a time: each δ is loaded once for four products; every sum still
    // runs over the samples in order, so the results are those of the plain loop below.
    for (; i + 3 < inUnits; i += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let s = 0, d = j, x = i; s < rows; s++, d += outUnits, x += inUnits) {
        const dj = delta[d]!;
        s0 += dj * input[x]!;
        s1 += dj * input[x + 1]!;
        s2 += dj * input[x + 2]!;
        s3 += dj * input[x + 3]!;
      }
      gradWeights[wBase + i] = s0 * scale;
      gradWeights[wBase + i + 1] = s1 * scale;
      gradWeights[wBase + i + 2] = s2 * scale;
      gradWeights[wBase + i + 3] = s3 * scale;
    }
    for (; i < inUnits; i++) {
      let sum = 0;
      for (let s = 0; s < rows; s++) sum += delta[s * outUnits + j]! * input[s * inUnits + i]!;
      gradWeights[wBase + i] = sum * scale;
    }
    let sum = 0;
    for (let s = 0; s < rows; s++) sum += delta[s * outUnits + j]!;
    gradBiases[j] = sum * scale;
  }
}
