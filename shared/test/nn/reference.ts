/**
 * An independent oracle for the kernel's tests: a naive forward pass and loss on nested
 * plain arrays, written straight from the math contract with none of the kernel's loops.
 */
import { ACTIVATIONS, type ActivationName } from '../../src/nn/activations';
import type { Regularization } from '../../src/nn/regularization';

export interface ReferenceNet {
  activations: ActivationName[];
  /** weights[l][j][i]: unit i of layer l to unit j of layer l+1 */
  weights: number[][][];
  biases: number[][];
}

/** Pre-activations z of every non-input layer, and activations a of every layer. */
export function referenceForward(net: ReferenceNet, input: number[]) {
  const a: number[][] = [input];
  const z: number[][] = [];
  net.weights.forEach((matrix, l) => {
    const previous = a[l]!;
    const zl = matrix.map((row, j) =>
      row.reduce((s, w, i) => s + w * previous[i]!, net.biases[l]![j]!),
    );
    z.push(zl);
    a.push(zl.map((v) => ACTIVATIONS[net.activations[l]!].output(v)));
  });
  return { a, z };
}

/** Mean over samples of ½Σ(ŷ−y)². */
export function referenceLoss(net: ReferenceNet, inputs: number[][], targets: number[][]) {
  let total = 0;
  inputs.forEach((input, s) => {
    const output = referenceForward(net, input).a.at(-1)!;
    total += 0.5 * output.reduce((sum, y, k) => sum + (y - targets[s]![k]!) ** 2, 0);
  });
  return total / inputs.length;
}

/** λ·Σ|w| (L1) or λ·½Σw² (L2) over the weights only, written out here for the oracle. */
export function referencePenalty(net: ReferenceNet, reg: Regularization | null): number {
  if (!reg) return 0;
  let sum = 0;
  for (const m of net.weights)
    for (const row of m) for (const w of row) sum += reg.kind === 'l1' ? Math.abs(w) : w * w;
  return reg.kind === 'l1' ? reg.rate * sum : reg.rate * 0.5 * sum;
}

/**
 * One SGD step written as the textbook loops, on nested arrays: every sum starts from 0 (or
 * the bias) and runs over its index in increasing order, δ = (∂E/∂a)·f′, gradients are the
 * batch mean (sum, then times 1/rows), w ← w − rate·∂E/∂w. The kernel blocks and reorders
 * its loops for speed but promises exactly these operations in exactly this order, so its
 * trace must equal this one bit for bit.
 */
export function referenceStep(
  net: ReferenceNet,
  inputs: number[][],
  targets: number[][],
  rate: number,
  trainBiases: boolean,
  regularization: Regularization | null = null,
) {
  // ∂(λR)/∂w: λ·sign(w) for L1 (Math.sign(0) is 0), λ·w for L2; added to the data gradient.
  const regTerm = (w: number) =>
    !regularization
      ? 0
      : regularization.kind === 'l1'
        ? regularization.rate * Math.sign(w)
        : regularization.rate * w;
  const L = net.weights.length;
  const der = (l: number, z: number, a: number) => ACTIVATIONS[net.activations[l]!].der(z, a);
  const samples = inputs.map((input, s) => {
    const { a, z } = referenceForward(net, input);
    const error = a[L]!.map((y, k) => y - targets[s]![k]!);
    let squares = 0;
    for (const e of error) squares += e * e;
    const delta: number[][] = [];
    delta[L - 1] = error.map((e, k) => e * der(L - 1, z[L - 1]![k]!, a[L]![k]!));
    for (let l = L - 2; l >= 0; l--) {
      const next = net.weights[l + 1]!;
      delta[l] = z[l]!.map((zi, i) => {
        let sum = 0;
        for (let j = 0; j < next.length; j++) sum += next[j]![i]! * delta[l + 1]![j]!;
        return sum * der(l, zi, a[l + 1]![i]!);
      });
    }
    return { a, z, error, loss: 0.5 * squares, delta };
  });
  const rows = inputs.length;
  const scale = 1 / rows;
  const gradWeights = net.weights.map((matrix, l) =>
    matrix.map((row, j) =>
      row.map((_, i) => {
        let sum = 0;
        for (const s of samples) sum += s.delta[l]![j]! * s.a[l]![i]!;
        return sum * scale;
      }),
    ),
  );
  const gradBiases = net.biases.map((vector, l) =>
    vector.map((_, j) => {
      let sum = 0;
      for (const s of samples) sum += s.delta[l]![j]!;
      return sum * scale;
    }),
  );
  let total = 0;
  for (const s of samples) total += s.loss;
  return {
    samples,
    loss: total / rows,
    gradWeights,
    gradBiases,
    weightsAfter: net.weights.map((m, l) =>
      m.map((row, j) =>
        row.map((w, i) =>
          regularization
            ? w - rate * (gradWeights[l]![j]![i]! + regTerm(w))
            : w - rate * gradWeights[l]![j]![i]!,
        ),
      ),
    ),
    biasesAfter: net.biases.map((v, l) =>
      v.map((b, j) => (trainBiases ? b - rate * gradBiases[l]![j]! : b)),
    ),
  };
}
