/**
 * What a line chart says at the step under a pointer (ui/LineChart.svelte): each line's value
 * there, and where the guide goes. Laid out as the paint worker draws the chart
 * (chartLayout), so the guide stands on the drawn points.
 */
import { chartLayout, type ChartFrame } from '../paint/chart-draw';
import { percent } from '../plane/accuracy';
import { fmt } from './format';
import type { ChartLine } from './chart-scales';

export interface ChartReadout {
  /** The guide's x, and the plot's top and height, in CSS pixels. */
  x: number;
  top: number;
  height: number;
  /** The guide is in the plot's right half: the box goes left of it, inside the chart. */
  flip: boolean;
  step: number;
  values: (Pick<ChartLine, 'color' | 'width' | 'dash'> & { label: string; text: string })[];
}

/** Pointers this far outside the plot (CSS pixels) still read its nearest step. */
const SLACK_PX = 8;

/**
 * The readout at `pointerX` (CSS pixels from the chart's left), or null outside the plot or
 * with no steps: the step of the data nearest the pointer, and every line's value there
 * ("—" where a line has none, as a diverged fork after its last step).
 */
export function chartReadout(
  frame: ChartFrame,
  measure: Parameters<typeof chartLayout>[1],
  pointerX: number,
): ChartReadout | null {
  const { steps } = frame;
  if (steps.length === 0) return null;
  const { plot, x, stepAt } = chartLayout(frame, measure);
  if (pointerX < plot.left - SLACK_PX || pointerX > plot.left + plot.width + SLACK_PX) return null;
  const k = nearest(steps, stepAt(pointerX));
  const step = steps[k]!;
  const guide = x(step);
  return {
    x: guide,
    top: plot.top,
    height: plot.height,
    flip: guide > plot.left + plot.width / 2,
    step,
    values: frame.lines.map((line, n) => {
      const v = line.values[k]!;
      return {
        label: line.label ?? `line ${n + 1}`,
        color: line.color,
        width: line.width,
        dash: line.dash,
        text: Number.isNaN(v) ? '—' : line.share ? percent(v) : fmt(v),
      };
    }),
  };
}

/** The index of the value of ascending `values` nearest `target` (values not empty). */
export function nearest(values: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  // lo: the first at or above target; the one before may be nearer.
  return lo > 0 && target - values[lo - 1]! <= values[lo]! - target ? lo - 1 : lo;
}
