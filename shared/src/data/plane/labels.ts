import type { ActivationName } from '../../nn/activations';

/**
 * A class label (−1 / +1) in the output activation's range, so that the target is one
 * the output can reach: −1 / +1 for tanh, 0 / 1 for sigmoid (and for relu and linear,
 * whose natural "off" is 0). Values between map linearly (regression labels are not
 * mapped: they are already in [−1, 1]).
 */
export function classLabel(raw: number, outputActivation: ActivationName): number {
  return outputActivation === 'tanh' ? raw : (raw + 1) / 2;
}

/**
 * The class a network output stands for, in the raw labels (−1 / +1): the threshold is the
 * middle of the output's range (0 for tanh, 0.5 otherwise). Accuracy counts the rows whose
 * predicted class is their label's.
 */
export function predictedClass(output: number, outputActivation: ActivationName): number {
  return output >= classLabel(0, outputActivation) ? 1 : -1;
}
