/**
 * An independent oracle for the kernel's tests: a naive forward pass and loss on nested
 * plain arrays, written straight from the math contract with none of the kernel's loops.
 */
import { ACTIVATIONS, type ActivationName } from '../../src/nn/activations';

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
