/**
 * Learning rates on a logarithmic axis: where a rate sits, which bin it falls in, and the
 * decade ticks. Rates span six orders of magnitude (10⁻⁵ … 10), so a linear axis would
 * squeeze every sensible proposal into its first pixel.
 */
import { LIMITS } from '@backprop/shared/protocol';

export interface LogAxis {
  min: number;
  max: number;
}

/** The range a proposal may have (the protocol's learning-rate bounds). */
export const RATE_AXIS: LogAxis = { min: LIMITS.minLearningRate, max: LIMITS.maxLearningRate };

export interface LogBin {
  /** Inclusive lower edge. */
  lo: number;
  /** Exclusive upper edge (the last bin includes the axis maximum). */
  hi: number;
  count: number;
}

/** Values exactly on a bin edge (0.1, 1e-3) must not fall into the bin below by rounding. */
const EDGE_TOLERANCE = 1e-9;

/** Where `value` sits on the axis, from 0 (min) to 1 (max), clamped. */
export function logPosition(value: number, axis: LogAxis = RATE_AXIS): number {
  if (!(value > 0)) return 0;
  const span = Math.log10(axis.max) - Math.log10(axis.min);
  const at = (Math.log10(value) - Math.log10(axis.min)) / span;
  return Math.min(1, Math.max(0, at));
}

/**
 * Counts per bin, `binsPerDecade` equal bins per power of ten. Each value carries a weight
 * (a proposal counts once per supporter). Values outside the axis land in the end bins;
 * non-finite or non-positive values are skipped.
 */
export function logBins(
  values: readonly { value: number; weight?: number }[],
  axis: LogAxis = RATE_AXIS,
  binsPerDecade = 2,
): LogBin[] {
  const lo = Math.log10(axis.min);
  const decades = Math.log10(axis.max) - lo;
  const n = Math.max(1, Math.round(decades * binsPerDecade));
  const edge = (k: number) => 10 ** (lo + (k * decades) / n);
  const bins: LogBin[] = Array.from({ length: n }, (_, k) => ({
    lo: edge(k),
    hi: edge(k + 1),
    count: 0,
  }));
  for (const { value, weight = 1 } of values) {
    if (!Number.isFinite(value) || value <= 0 || !(weight > 0)) continue;
    const at = ((Math.log10(value) - lo) / decades) * n + EDGE_TOLERANCE;
    const k = Math.min(n - 1, Math.max(0, Math.floor(at)));
    bins[k]!.count += weight;
  }
  return bins;
}

/** The powers of ten from the axis minimum to its maximum (10⁻⁵, 10⁻⁴, …, 10). */
export function decadeTicks(axis: LogAxis = RATE_AXIS): number[] {
  const ticks: number[] = [];
  const first = Math.ceil(Math.log10(axis.min) - EDGE_TOLERANCE);
  const last = Math.floor(Math.log10(axis.max) + EDGE_TOLERANCE);
  for (let p = first; p <= last; p++) ticks.push(Number(`1e${p}`));
  return ticks;
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** A power of ten as an axis label: '10⁻⁵', '0.01', '0.1', '1', '10'. */
export function tickLabel(value: number): string {
  const power = Math.round(Math.log10(value));
  if (power >= -2 && power <= 2) return String(Number(`1e${power}`));
  return `10${String(power)
    .split('')
    .map((c) => SUPERSCRIPT[c] ?? c)
    .join('')}`;
}
