/**
 * Train and test accuracy for the classification plane data sets (docs/playground.md): the
 * fraction of rows whose first output falls on their label's side of the middle of the
 * output's range. Targets are the labels in that range (plane data are never normalized),
 * so the target's side is the label's. The session and the CLI both count with it.
 */
import { predictedClass } from '@backprop/shared/data';
import type { ActivationName } from '@backprop/shared/nn';
import type { Accuracy } from '@backprop/shared/session';

/** Rows in network units, row-major (prepared-data.ts's Rows, a subset of a Dataset). */
interface LabelledRows {
  x: Float64Array;
  y: Float64Array;
  rows: number;
}

export type Predict = (input: Float64Array, out: Float64Array) => void;

export function accuracyOf(
  predict: Predict,
  train: LabelledRows,
  test: LabelledRows | null,
  output: ActivationName,
): Accuracy {
  const fraction = (set: LabelledRows): number => {
    const width = set.x.length / set.rows;
    const targets = set.y.length / set.rows;
    const scratch = new Float64Array(targets);
    let right = 0;
    for (let r = 0; r < set.rows; r++) {
      predict(set.x.subarray(r * width, (r + 1) * width), scratch);
      if (predictedClass(scratch[0]!, output) === predictedClass(set.y[r * targets]!, output)) {
        right++;
      }
    }
    return right / set.rows;
  };
  return { train: fraction(train), test: test ? fraction(test) : null };
}
