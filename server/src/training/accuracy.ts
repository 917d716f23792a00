/**
 * Train and test accuracy for the classification plane data sets (docs/playground.md): the
 * fraction of rows whose first output falls on their label's side of the middle of the
 * output's range. Targets are the labels in that range (plane data are never normalized),
 * so the target's side is the label's.
 */
import { predictedClass } from '@backprop/shared/data';
import type { ActivationName } from '@backprop/shared/nn';
import type { Accuracy } from '@backprop/shared/session';
import type { PreparedData, Rows } from './prepared-data';

export type Predict = (input: Float64Array, out: Float64Array) => void;

export function accuracyOf(predict: Predict, data: PreparedData, output: ActivationName): Accuracy {
  const scratch = new Float64Array(data.dataset.targets.length);
  const width = data.dataset.inputs.length;
  const targets = data.dataset.targets.length;
  const fraction = (rows: Rows): number => {
    let right = 0;
    for (let r = 0; r < rows.rows; r++) {
      predict(rows.x.subarray(r * width, (r + 1) * width), scratch);
      const label = predictedClass(rows.y[r * targets]!, output);
      if (predictedClass(scratch[0]!, output) === label) right++;
    }
    return right / rows.rows;
  };
  return { train: fraction(data.train), test: data.test ? fraction(data.test) : null };
}
