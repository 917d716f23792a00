/**
 * What the uPlot charts (the loss chart, the race chart) share: the options of a chart of
 * losses over steps, a chart that follows its container's width, and marks at steps.
 */
import uPlot from 'uplot';
import { fmt } from './format';
import { PALETTE } from './palette';
import { labelRows, logTicks } from './ticks';

export const CHART_AXIS = {
  stroke: PALETTE.muted,
  grid: { stroke: '#e6e6e6', width: 1 },
  ticks: { stroke: '#cccccc', width: 1 },
};

/**
 * The size of the axes' text in CSS pixels: uPlot's own 12 on screens held close, larger on
 * the projector. Set explicitly (uPlot draws on a canvas, where nothing else can size it),
 * and said on the chart's element as data-axis-font-px, where a test can read it.
 */
export const AXIS_FONT_PX = 12;

/** An axis's fonts at `px` (whole pixels: uPlot scales only those for the screen's density). */
export function axisFonts(px: number): Pick<uPlot.Axis, 'font' | 'labelFont'> {
  const size = Math.round(px);
  return {
    font: `${size}px system-ui, sans-serif`,
    labelFont: `bold ${size}px system-ui, sans-serif`,
  };
}

/** A chart of losses over steps: its size, its scales, anything more for its axes. */
export interface LossOverSteps {
  width: number;
  height: number;
  /** A logarithmic loss scale, else linear from 0. */
  log: boolean;
  /** The steps shown, read each time the chart rescales. */
  steps: uPlot.Range.Function;
  /** More for the step axis and the loss axis. */
  stepAxis?: uPlot.Axis;
  lossAxis?: uPlot.Axis;
  /** The axes' text size in CSS pixels (AXIS_FONT_PX when absent). */
  fontPx?: number;
}

/** The options of a chart of losses (y) over training steps (x), but its series and hooks. */
export function lossOverSteps(o: LossOverSteps): Omit<uPlot.Options, 'series'> {
  const px = Math.round(o.fontPx ?? AXIS_FONT_PX);
  return {
    width: o.width,
    height: o.height,
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: false, range: o.steps },
      y: o.log ? { distr: 3, log: 10 } : { range: (_u, _min, max) => [0, max || 1] },
    },
    axes: [
      // Room for a tick (10), a gap (5) and a line of text; the label's line under it.
      {
        ...CHART_AXIS,
        ...axisFonts(px),
        label: 'step',
        labelSize: 1.5 * px,
        size: 15 + 1.25 * px,
        ...o.stepAxis,
      },
      {
        ...CHART_AXIS,
        ...axisFonts(px),
        // Decades only on a log scale (see logTicks); uPlot's own splits on a linear one.
        ...(o.log
          ? { splits: (_u: uPlot, _axis: number, min: number, max: number) => logTicks(min, max) }
          : {}),
        values: (_u, splits) => splits.map((v) => fmt(v)),
        // Wide enough for the longest label: a diverging loss reaches billions.
        size: (_u, values) => 16 + Math.max(3, ...(values ?? []).map((v) => v.length)) * 0.625 * px,
        ...o.lossAxis,
      },
    ],
  };
}

/**
 * Creates a chart in `el` at the container's width and keeps it that wide; returns it and
 * the function that removes it. `options` gets the width to start with; `height` is read at
 * each resize, so a new height given meanwhile is kept.
 */
export function mountChart(
  el: HTMLElement,
  options: (width: number) => uPlot.Options,
  data: uPlot.AlignedData,
  height: () => number,
): { chart: uPlot; destroy: () => void } {
  const chart = new uPlot(options(el.clientWidth || 300), data, el);
  const observer = new ResizeObserver(() =>
    chart.setSize({ width: el.clientWidth || 300, height: height() }),
  );
  observer.observe(el);
  return {
    chart,
    destroy: () => {
      observer.disconnect();
      chart.destroy();
    },
  };
}

/** The non-null values of the series in aligned data (x, the first array, not counted). */
export function countPoints(data: uPlot.AlignedData): number {
  let n = 0;
  for (const series of data.slice(1)) for (const v of series) if (v != null) n++;
  return n;
}

/**
 * A draw hook that says on the chart's container what the canvas shows, as
 * data-drawn-points (0 while the loss scale has no finite range, when nothing is plotted):
 * uPlot puts nothing in the DOM, and a test compares it with the points it was meant to draw.
 */
export function sayDrawn(u: uPlot): void {
  const y = u.scales['y'];
  const plotted = Number.isFinite(y?.min) && Number.isFinite(y?.max);
  const container = u.root.parentElement;
  if (container) container.dataset['drawnPoints'] = String(plotted ? countPoints(u.data) : 0);
}

/** A vertical line at a step with a label beside it; sizes in CSS pixels. */
export interface StepMark {
  step: number;
  text: string;
  color: string;
  lineWidth: number;
  dash: readonly number[];
}

/**
 * Draws marks on the chart's canvas, from a draw hook; a mark off the plot is left out.
 * Their labels are `fontPx` high (CSS pixels).
 */
export function drawStepMarks(u: uPlot, marks: readonly StepMark[], fontPx = 11): void {
  const { ctx, bbox } = u;
  const ratio = uPlot.pxRatio;
  ctx.save();
  ctx.font = `${fontPx * ratio}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  const shown = marks
    .map((mark) => ({ mark, x: Math.round(u.valToPos(mark.step, 'x', true)) }))
    .filter(({ x }) => x >= bbox.left - 1 && x <= bbox.left + bbox.width + 1);
  // Labels go right of their line, or left near the right edge; close ones take rows.
  const spans = shown.map(({ mark, x }) => {
    const width = ctx.measureText(mark.text).width;
    const right = x + 4 * ratio + width <= bbox.left + bbox.width;
    return right
      ? { left: x, right: x + 4 * ratio + width }
      : { left: x - 4 * ratio - width, right: x };
  });
  const rows = labelRows(spans, 4 * ratio);
  shown.forEach(({ mark, x }, k) => {
    ctx.strokeStyle = mark.color;
    ctx.fillStyle = mark.color;
    ctx.lineWidth = mark.lineWidth * ratio;
    ctx.setLineDash(mark.dash.map((d) => d * ratio));
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    const right = spans[k]!.left === x;
    ctx.textAlign = right ? 'left' : 'right';
    const y = bbox.top + (2 + rows[k]! * (fontPx + 3)) * ratio;
    ctx.fillText(mark.text, right ? x + 4 * ratio : x - 4 * ratio, y);
  });
  ctx.restore();
}
