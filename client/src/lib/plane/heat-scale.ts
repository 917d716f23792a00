/**
 * The heatmaps' colour scale: a diverging orange–white–blue ramp (ColorBrewer's PuOr orange
 * arm and RdBu blue arm, the two hues people with red–green colour blindness tell apart
 * best), the same hues as the diagram's negative and positive weights. A value is first put
 * on t ∈ [−1, 1] by its domain: −1 is the orange end (class −1, or 0 for a sigmoid output),
 * +1 the blue end, 0 the white middle (the decision boundary).
 */
import type { ActivationName } from '@backprop/shared/nn';

/** From the orange end (t = −1) through white (t = 0) to the blue end (t = +1). */
export const HEAT_STOPS = [
  '#b35806',
  '#e08214',
  '#fdb863',
  '#fee0b6',
  '#f7f7f7',
  '#d1e5f0',
  '#92c5de',
  '#4393c3',
  '#2166ac',
] as const;

/** What a heatmap's values run from (orange) to (blue); the middle is white. */
export interface Domain {
  lo: number;
  hi: number;
}

/**
 * The output's domain: a tanh output learns labels −1/+1, every other output activation
 * 0/1 for classification (the labels' mapping, see docs/playground.md); regression targets
 * lie in [−1, 1].
 */
export function outputDomain(activation: ActivationName, classification: boolean): Domain {
  if (activation === 'tanh' || !classification) return { lo: -1, hi: 1 };
  return { lo: 0, hi: 1 };
}

/**
 * A unit's picture: sigmoid and tanh by their range (so pictures compare from unit to unit);
 * unbounded units (inputs, relu, linear) symmetric around 0 by their largest |value|, so
 * that 0 is white wherever it is.
 */
export function unitDomain(values: Float64Array, activation: ActivationName | null): Domain {
  if (activation === 'sigmoid') return { lo: 0, hi: 1 };
  if (activation === 'tanh') return { lo: -1, hi: 1 };
  let max = 0;
  for (let k = 0; k < values.length; k++) {
    const v = Math.abs(values[k]!);
    if (v > max) max = v;
  }
  const m = Number.isFinite(max) && max > 0 ? max : 1;
  return { lo: -m, hi: m };
}

/** v on the domain as t ∈ [−1, 1], clamped; NaN stays NaN. */
export function scaled(value: number, domain: Domain): number {
  const t = (2 * (value - domain.lo)) / (domain.hi - domain.lo) - 1;
  return t < -1 ? -1 : t > 1 ? 1 : t;
}

function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)) as [number, number, number];
}

const STOP_RGB = HEAT_STOPS.map(rgbOf);

/** The colour at t ∈ [−1, 1], interpolated linearly between the stops. */
export function heatRgb(t: number): [number, number, number] {
  const position = ((Math.max(-1, Math.min(1, t)) + 1) / 2) * (STOP_RGB.length - 1);
  const k = Math.min(STOP_RGB.length - 2, Math.floor(position));
  const f = position - k;
  const a = STOP_RGB[k]!;
  const b = STOP_RGB[k + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as [number, number, number];
}

/** 256 RGBA entries of the ramp: painting a cell is a lookup, not an interpolation. */
export const HEAT_LUT_SIZE = 256;
const LUT = (() => {
  const lut = new Uint8ClampedArray(HEAT_LUT_SIZE * 4);
  for (let k = 0; k < HEAT_LUT_SIZE; k++) {
    const [r, g, b] = heatRgb((2 * k) / (HEAT_LUT_SIZE - 1) - 1);
    lut.set([r, g, b, 255], k * 4);
  }
  return lut;
})();

/** Grey for a value that is not a number (a diverged network never gets here, but still). */
const NAN_RGBA = [200, 200, 200, 255] as const;

/**
 * Paints `values` (cells × 1, row-major, resolution² of them) into `pixels` (RGBA, one
 * pixel per cell). `discretize` draws two flat colours split at the middle of the domain
 * (the decision boundary), lighter than the ramp's ends so the points stay visible.
 */
export function paintCells(
  values: Float64Array,
  domain: Domain,
  discretize: boolean,
  pixels: Uint8ClampedArray,
): void {
  const cells = pixels.length / 4;
  const low = Math.round(HEAT_LUT_SIZE * 0.2) * 4;
  const high = Math.round(HEAT_LUT_SIZE * 0.8) * 4;
  for (let c = 0; c < cells; c++) {
    const t = scaled(values[c]!, domain);
    const p = c * 4;
    if (Number.isNaN(t)) {
      pixels.set(NAN_RGBA, p);
      continue;
    }
    const entry = discretize
      ? t >= 0
        ? high
        : low
      : Math.round(((t + 1) / 2) * (HEAT_LUT_SIZE - 1)) * 4;
    pixels[p] = LUT[entry]!;
    pixels[p + 1] = LUT[entry + 1]!;
    pixels[p + 2] = LUT[entry + 2]!;
    pixels[p + 3] = 255;
  }
}

/** The CSS gradient of the legend: the same ramp, left (orange) to right (blue). */
export const HEAT_GRADIENT_CSS = `linear-gradient(to right, ${HEAT_STOPS.join(', ')})`;
