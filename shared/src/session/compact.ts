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
  ONE[0] = value;
  compactInto(ONE, ONE, digits, true);
  return ONE[0]!;
}

/**
 * compactNumber of each value: a frame's numbers, which a student's page unpacks for every
 * frame it shows (one loop, compactInto).
 */
export function compactNumbers(values: ArrayLike<number>, digits: number = FRAME_DIGITS): number[] {
  // Made at its length: pushing grows it a few times, leaving each smaller copy as garbage.
  const numbers = new Array<number>(values.length);
  compactInto(values, numbers, digits, true);
  return numbers;
}

/**
 * `value` rounded to `digits` significant digits by scaling it to an integer of that many
 * digits, or NaN where the arithmetic cannot promise toPrecision's double (compactInto);
 * 0, NaN and ±∞ are themselves.
 */
export function roundedInArithmetic(value: number, digits: number): number {
  ONE[0] = value;
  compactInto(ONE, ONE, digits, false);
  return ONE[0]!;
}

/** One number in and out of compactInto (a typed array: no double passed or returned). */
const ONE = new Float64Array(1);

/** 10^0 … 10^22, each exact (parsed, not computed: Math.pow need not be exact). */
const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * out[k] = values[k] rounded to `digits` significant digits, for every k: in arithmetic
 * where it gives toPrecision's double, else (rarely) by toPrecision itself, or NaN when not
 * `exact`. It is `Number(value.toPrecision(digits))` (toPrecision rounds in decimal, so the
 * result prints as exactly those digits); 0, NaN and ±∞ are themselves.
 *
 * The arithmetic can promise toPrecision's double when: the scale is an exact power of ten
 * (|k| ≤ 22); the scaled value, off by at most half a unit in its last place, has `digits`
 * digits before the point and is not near a tie (toPrecision rounds the exact value, ties
 * upwards); then the integer n is toPrecision's, and n / 10^k (or n · 10^-k), rounded once,
 * is the double nearest n·10^-k, as is Number() of its decimal string.
 *
 * All in one loop with no call per number: a student's page unpacks every weight of every
 * frame it shows, much of the time before V8 has optimised this code, and code that is not
 * optimised (or a call that is not inlined) boxes every double it passes or returns as a
 * new heap number: garbage for the page's collector (bench:client --allocations).
 */
function compactInto(
  values: ArrayLike<number>,
  out: { [k: number]: number },
  digits: number,
  exact: boolean,
): void {
  const digitsOk = digits >= 1 && digits <= 9;
  for (let k = 0; k < values.length; k++) {
    const value = values[k]!;
    if (value === 0 || value - value !== 0) {
      // 0, NaN, ±∞.
      out[k] = value;
      continue;
    }
    const magnitude = Math.abs(value);
    const scale = digits - 1 - Math.floor(Math.log10(magnitude));
    let answered = false;
    if (digitsOk && scale <= 22 && scale >= -22) {
      const power = POWERS_OF_TEN[scale >= 0 ? scale : -scale]!;
      const scaled = scale >= 0 ? magnitude * power : magnitude / power;
      const whole = Math.floor(scaled);
      // log10 may be a unit off near a power of ten: then the digits are not `digits`.
      if (
        scaled >= POWERS_OF_TEN[digits - 1]! &&
        scaled < POWERS_OF_TEN[digits]! &&
        Math.abs(scaled - whole - 0.5) >= scaled * 2 ** -48
      ) {
        const n = scaled - whole < 0.5 ? whole : whole + 1;
        const rounded = scale >= 0 ? n / power : n * power;
        out[k] = value < 0 ? -rounded : rounded;
        answered = true;
      }
    }
    if (!answered) out[k] = exact ? Number(value.toPrecision(digits)) : NaN;
  }
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
