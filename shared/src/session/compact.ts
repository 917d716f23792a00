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

/**
 * `value` rounded to `digits` significant digits; JSON writes it in a few characters. It is
 * `Number(value.toPrecision(digits))` (toPrecision rounds in decimal, so the result prints
 * as exactly those digits), worked out in arithmetic where that gives the same double: a
 * student's page unpacks every weight of every frame it shows this way, and the string per
 * number was a fifth of the garbage its main thread collected in play (bench:client
 * --allocations).
 */
export function compactNumber(value: number, digits: number = FRAME_DIGITS): number {
  compactToAnswer(value, digits);
  return ANSWER[0]!;
}

/**
 * compactNumber of each value: a frame's numbers, which a student's page unpacks for every
 * frame it shows. One loop over answers written into an array: a double returned from a call
 * that the optimiser does not inline is a new heap number, one per weight per frame (~20
 * bytes each in a phone's allocation samples, bench:client --allocations).
 */
export function compactNumbers(values: ArrayLike<number>, digits: number = FRAME_DIGITS): number[] {
  // Made at its length: pushing grows it a few times, leaving each smaller copy as garbage.
  const numbers = new Array<number>(values.length);
  for (let k = 0; k < values.length; k++) {
    compactToAnswer(values[k]!, digits);
    numbers[k] = ANSWER[0]!;
  }
  return numbers;
}

/** Where the functions below put their answer (see compactNumbers: no double returned). */
const ANSWER = new Float64Array(1);

/** compactNumber(value, digits), put in ANSWER[0]. */
function compactToAnswer(value: number, digits: number): void {
  if (value === 0 || !Number.isFinite(value)) ANSWER[0] = value;
  else if (!roundToAnswer(value, digits)) ANSWER[0] = Number(value.toPrecision(digits));
}

/** 10^0 … 10^22, each exact (parsed, not computed: Math.pow need not be exact). */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * `value` rounded to `digits` significant digits by scaling it to an integer of that many
 * digits, or NaN where the arithmetic cannot promise toPrecision's double. It can when:
 * the scale is an exact power of ten (|k| ≤ 22); the scaled value, off by at most half a
 * unit in its last place, has `digits` digits before the point and is not near a tie
 * (toPrecision rounds the exact value, ties upwards); then the integer n is toPrecision's,
 * and n / 10^k (or n · 10^-k), rounded once, is the double nearest n·10^-k, as is
 * Number() of its decimal string.
 */
export function roundedInArithmetic(value: number, digits: number): number {
  return roundToAnswer(value, digits) ? ANSWER[0]! : NaN;
}

/** roundedInArithmetic's answer, put in ANSWER[0]; false where it has none. */
function roundToAnswer(value: number, digits: number): boolean {
  if (digits < 1 || digits > 9) return false;
  const magnitude = Math.abs(value);
  const k = digits - 1 - Math.floor(Math.log10(magnitude));
  if (k > 22 || k < -22) return false;
  const power = POWERS_OF_TEN[Math.abs(k)]!;
  const scaled = k >= 0 ? magnitude * power : magnitude / power;
  // log10 may be a unit off near a power of ten: then the digits are not `digits`.
  if (scaled < POWERS_OF_TEN[digits - 1]! || scaled >= POWERS_OF_TEN[digits]!) return false;
  const whole = Math.floor(scaled);
  if (Math.abs(scaled - whole - 0.5) < scaled * 2 ** -48) return false;
  const n = scaled - whole < 0.5 ? whole : whole + 1;
  const rounded = k >= 0 ? n / power : n * power;
  ANSWER[0] = value < 0 ? -rounded : rounded;
  return true;
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
  // Slices, each made at its length: a student's page does this for every frame it shows.
  let k = 0;
  const take = (count: number) => params.slice(k, (k += count));
  const weights: number[][][] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const matrix: number[][] = [];
    for (let j = 0; j < layers[l + 1]!; j++) matrix.push(take(layers[l]!));
    weights.push(matrix);
  }
  const biases: number[][] = [];
  for (let l = 0; l + 1 < layers.length; l++) biases.push(take(layers[l + 1]!));
  return { weights, biases };
}
