/**
 * The compact numbers of play frames ('frame' events). Continuous play sends up to 20
 * frames a second and every one is recorded, so a frame carries the network as one flat
 * list rounded to FRAME_DIGITS significant digits — what the views show anyway — instead
 * of full doubles (17 digits each). The rounding is a pure function of the exact value, so
 * a re-simulation rounds its own numbers the same way and compares them exactly; the exact
 * network is recorded again ('progressed') whenever play stops.
 */
import type { Accuracy, NetworkValues } from './state';

/** Significant digits of the numbers in a frame (the views show 4). */
export const FRAME_DIGITS = 4;

/** `value` rounded to `digits` significant digits; JSON writes it in a few characters. */
export function compactNumber(value: number, digits: number = FRAME_DIGITS): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  // toPrecision rounds in decimal, so the result prints as exactly those digits.
  return Number(value.toPrecision(digits));
}

export function compactList(values: readonly number[], digits: number = FRAME_DIGITS): number[] {
  return values.map((value) => compactNumber(value, digits));
}

/** A frame's penalty and accuracy, rounded like its loss (absent keys stay absent). */
export function compactModelStats(stats: { penalty?: number; accuracy?: Accuracy }): {
  penalty?: number;
  accuracy?: Accuracy;
} {
  const { penalty, accuracy } = stats;
  return {
    ...(penalty !== undefined && { penalty: compactNumber(penalty) }),
    ...(accuracy && {
      accuracy: {
        train: compactNumber(accuracy.train),
        test: accuracy.test === null ? null : compactNumber(accuracy.test),
      },
    }),
  };
}

/** Every weight (layer by layer, row by row) then every bias, compacted: a frame's `params`. */
export function compactParams(network: NetworkValues, digits: number = FRAME_DIGITS): number[] {
  const params: number[] = [];
  for (const matrix of network.weights) {
    for (const row of matrix) for (const w of row) params.push(compactNumber(w, digits));
  }
  for (const biases of network.biases)
    for (const b of biases) params.push(compactNumber(b, digits));
  return params;
}

/** How many numbers `params` has for a network with these layer sizes. */
export function paramCount(layers: readonly number[]): number {
  let count = 0;
  for (let l = 0; l + 1 < layers.length; l++) count += layers[l + 1]! * (layers[l]! + 1);
  return count;
}

/**
 * The network of a frame's `params` (the inverse of compactParams's layout). The caller
 * has checked the length against the layers (the recording schema and shapes.ts do).
 */
export function networkFromParams(
  layers: readonly number[],
  params: readonly number[],
): NetworkValues {
  let k = 0;
  const weights: number[][][] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const matrix: number[][] = [];
    for (let j = 0; j < layers[l + 1]!; j++) {
      const row: number[] = [];
      for (let i = 0; i < layers[l]!; i++) row.push(params[k++]!);
      matrix.push(row);
    }
    weights.push(matrix);
  }
  const biases: number[][] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const row: number[] = [];
    for (let j = 0; j < layers[l + 1]!; j++) row.push(params[k++]!);
    biases.push(row);
  }
  return { weights, biases };
}
