/**
 * What a line chart of values over training steps shows (the loss chart, the race chart), and
 * its scales: pure, used by the page (to say what is plotted) and by the paint worker that
 * draws it (lib/paint/chart-draw.ts).
 */

/**
 * The size of the axes' text in CSS pixels on screens held close (larger on the projector),
 * said on the chart's element as data-axis-font-px, where a test can read it.
 */
export const AXIS_FONT_PX = 12;

/** One curve: a value per step of the chart's steps, NaN where it has none (spanned over). */
export interface ChartLine {
  values: ArrayLike<number>;
  /** Its name, in the readout of a pointer's step (the legend names it too). */
  label?: string;
  color: string;
  /** Line width and dash, in CSS pixels. */
  width: number;
  dash: readonly number[];
  /** On the right-hand axis, a share from 0 to 100 % (accuracy), not the left one. */
  share?: boolean;
}

/** A vertical line at a step with a label beside it (a rate change, a divergence). */
export interface StepMark {
  step: number;
  text: string;
  color: string;
  lineWidth: number;
  dash: readonly number[];
}

export interface ChartData {
  /** Ascending steps, the x of every line's values. */
  steps: ArrayLike<number>;
  lines: readonly ChartLine[];
  /** A logarithmic left scale (values ≤ 0 are not plotted), else linear from 0. */
  log: boolean;
  /** Steps the step axis reaches whatever the data (marks, a race's end). */
  reach: readonly number[];
  marks: readonly StepMark[];
}

export interface ChartScales {
  steps: [number, number];
  /** The left axis's range; null when it has no finite range (a log scale with nothing > 0). */
  left: [number, number] | null;
  /** Whether there is a right-hand share axis (0 to 1). */
  share: boolean;
}

/** A value the left scale can place: finite, and > 0 on a log scale. */
export function plottable(value: number, log: boolean): boolean {
  return Number.isFinite(value) && (!log || value > 0);
}

/**
 * The chart's ranges. Steps: from the first to the last of the data and `reach`, at least one
 * step wide ([0, 1] with neither). Left: linear from 0 to the largest value (1 without any);
 * log from the decade at or below the smallest value to the one at or above the largest.
 */
export function chartScales(
  data: Pick<ChartData, 'steps' | 'lines' | 'log' | 'reach'>,
): ChartScales {
  const { steps, reach } = data;
  const known = [...reach];
  if (steps.length > 0) known.push(steps[0]!, steps[steps.length - 1]!);
  const lo = known.length > 0 ? Math.min(...known) : 0;
  const hi = Math.max(lo + 1, ...known);

  let min = Infinity;
  let max = -Infinity;
  for (const line of data.lines) {
    if (line.share) continue;
    for (let k = 0; k < line.values.length; k++) {
      const v = line.values[k]!;
      if (!plottable(v, data.log)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  let left: [number, number] | null;
  if (!data.log) left = [0, max > 0 ? max : 1];
  else if (!(min <= max)) left = null;
  else {
    const bottom = 10 ** Math.floor(Math.log10(min) + 1e-9);
    const top = 10 ** Math.ceil(Math.log10(max) - 1e-9);
    left = [bottom, top > bottom ? top : bottom * 10];
  }
  return { steps: [lo, hi], left, share: data.lines.some((line) => line.share) };
}

/**
 * The points a chart with `scales` plots: every value it can place (a line on the left axis
 * plots nothing while that axis has no range). Said on the chart's element as
 * data-drawn-points, where a test compares it with the points the data holds (countPoints).
 */
export function plottedPoints(data: Pick<ChartData, 'lines' | 'log'>, scales: ChartScales): number {
  let n = 0;
  for (const line of data.lines) {
    if (!line.share && !scales.left) continue;
    for (let k = 0; k < line.values.length; k++)
      if (plottable(line.values[k]!, !line.share && data.log)) n++;
  }
  return n;
}

/** The values of the lines that are numbers at all (NaN is a gap): what the data holds. */
export function countPoints(lines: readonly Pick<ChartLine, 'values'>[]): number {
  let n = 0;
  for (const line of lines)
    for (let k = 0; k < line.values.length; k++) if (!Number.isNaN(line.values[k]!)) n++;
  return n;
}

/**
 * Ticks on a step axis over [lo, hi]: whole steps 1, 2, 2.5 or 5 × 10ⁿ apart (n ≥ 0; 2.5 only
 * from 25 up), the closest spacing that leaves at most `count` of them.
 */
export function stepTicks(lo: number, hi: number, count: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) return [];
  const span = hi - lo;
  // Two at least: one tick on each end of the shortest span allowed.
  const most = Math.max(2, count);
  let spacing = 0;
  for (let magnitude = 1; spacing === 0; magnitude *= 10) {
    const options = magnitude >= 10 ? [1, 2, 2.5, 5] : [1, 2, 5];
    spacing = options.map((m) => m * magnitude).find((s) => span / s + 1 <= most) ?? 0;
  }
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / spacing); k * spacing <= hi; k++) ticks.push(k * spacing);
  return ticks;
}
