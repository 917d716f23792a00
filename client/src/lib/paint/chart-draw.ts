/**
 * Draws a line chart over training steps (lib/view/chart-scales.ts: the loss chart, the race
 * chart) on its canvas, axes and all, in the paint worker. The page's part of a redraw is then
 * a message: uPlot, which drew these charts before, spent 5–15 ms of a phone ×4's main thread
 * on each (axes and their text 2.0 ms, paths 1.5, marks 1.2, axis sizing 1.2, clearing 1.1),
 * and it was in most of the longest frames of every panel that shows the loss chart.
 */
import { fmt } from '../view/format';
import { PALETTE } from '../view/palette';
import {
  chartScales,
  plottable,
  stepTicks,
  type ChartData,
  type ChartLine,
  type StepMark,
} from '../view/chart-scales';
import { labelRows, linearScale, logTicks, niceTicks } from '../view/ticks';
import { sizeCanvas, type Canvas, type Context2D } from './canvas';

/** A chart as it travels to the worker: plain copies, its values in typed arrays (moved). */
export interface ChartScene {
  type: 'chart';
  /** The canvas's size in CSS pixels, and device pixels per CSS pixel. */
  width: number;
  height: number;
  ratio: number;
  /** The axes' text size in CSS pixels, and the marks' labels'. */
  fontPx: number;
  markFontPx: number;
  steps: Float64Array;
  lines: (Omit<ChartLine, 'values' | 'dash'> & { values: Float64Array; dash: number[] })[];
  log: boolean;
  reach: number[];
  marks: StepMark[];
}

export interface ChartLook {
  width: number;
  height: number;
  ratio: number;
  fontPx: number;
  markFontPx: number;
}

/** `data` as a scene, and the buffers to move with it. */
export function chartWire(
  data: ChartData,
  look: ChartLook,
): { scene: ChartScene; transfer: Transferable[] } {
  const steps = Float64Array.from(data.steps);
  const lines = data.lines.map((line) => ({
    color: line.color,
    width: line.width,
    dash: [...line.dash],
    ...(line.share ? { share: true } : {}),
    values: Float64Array.from(line.values),
  }));
  return {
    scene: {
      type: 'chart',
      ...look,
      steps,
      lines,
      log: data.log,
      reach: [...data.reach],
      marks: data.marks.map((mark) => ({ ...mark, dash: [...mark.dash] })),
    },
    transfer: [steps.buffer, ...lines.map((line) => line.values.buffer)],
  };
}

/** The axes' colours: text in the muted colour (4.5:1 on white), light lines. */
export const CHART_COLORS = { text: PALETTE.muted, grid: '#e6e6e6', tick: '#cccccc' };
/** A tick's length and the gap between it and its label, in CSS pixels. */
const TICK = 5;
const GAP = 3;
/** The least room between two step labels, in CSS pixels. */
const STEP_LABEL_GAP = 16;
/** Points at least this far apart on average (CSS pixels) are drawn as dots too. */
const SPARSE_PX = 12;

const font = (px: number, bold = false) => `${bold ? 'bold ' : ''}${px}px system-ui, sans-serif`;
const stepText = new Intl.NumberFormat();
const shareText = (v: number) => `${Math.round(v * 100)}%`;

/** Sizes `canvas` to the scene (only when that changes: a new size clears it) and draws it. */
export function paintChart(canvas: Canvas, scene: ChartScene): void {
  sizeCanvas(canvas, Math.round(scene.width * scene.ratio), Math.round(scene.height * scene.ratio));
  const ctx = canvas.getContext('2d') as Context2D | null;
  if (!ctx) return;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(scene.ratio, 0, 0, scene.ratio, 0, 0);
  drawChart(ctx, scene);
}

/** What a chart's layout needs of a scene: its size, text size and data. */
export type ChartFrame = Pick<ChartScene, 'width' | 'height' | 'fontPx'> &
  Pick<ChartData, 'steps' | 'lines' | 'log' | 'reach'>;
/** A 2-D context's text measurement: the worker's when drawing, the page's when pointing. */
type Measure = { font: string; measureText(text: string): { width: number } };

/**
 * Where everything of a chart goes, in CSS pixels: the plot's box, the scales from values to
 * pixels and the ticks. The paint worker draws with it and the page reads a pointer's step
 * with it (ui/LineChart.svelte), with the same text measured, so both agree.
 */
export function chartLayout(scene: ChartFrame, measure: Measure) {
  const scales = chartScales(scene);
  const px = scene.fontPx;
  measure.font = font(px);
  const widest = (texts: string[]) =>
    Math.max(0, ...texts.map((t) => measure.measureText(t).width));

  // The left axis's ticks depend on the plot's height, which does not depend on them.
  const top = Math.ceil(px / 2) + 2;
  const bottomAxis = TICK + GAP + 1.25 * px + 1.5 * px;
  const plotHeight = Math.max(1, scene.height - top - bottomAxis);
  const leftTicks = !scales.left
    ? []
    : scene.log
      ? logTicks(...scales.left)
      : niceTicks(0, scales.left[1], Math.max(2, Math.floor(plotHeight / (2.5 * px)))).filter(
          (v) => v >= 0 && v <= scales.left![1] * (1 + 1e-9),
        );
  const leftLabels = leftTicks.map((v) => fmt(v));
  const shareTicks = scales.share
    ? niceTicks(0, 1, Math.max(2, Math.floor(plotHeight / (2.5 * px))))
    : [];
  const left = Math.ceil(TICK + GAP + Math.max(widest(leftLabels), widest(['0.00'])) + 4);
  const lastStep = stepText.format(scales.steps[1]);
  const right = scales.share
    ? Math.ceil(TICK + GAP + widest(['100%']) + 4)
    : Math.ceil(widest([lastStep]) / 2 + 4);
  const plot = {
    left,
    top,
    width: Math.max(1, scene.width - left - right),
    height: plotHeight,
  };
  const bottom = plot.top + plot.height;
  const yOf = (range: [number, number], log: boolean) =>
    log
      ? (() => {
          const to = linearScale(Math.log10(range[0]), Math.log10(range[1]), bottom, plot.top);
          return (v: number) => to(Math.log10(v));
        })()
      : linearScale(range[0], range[1], bottom, plot.top);
  return {
    plot,
    bottom,
    /** Step to x, and x back to a step. */
    x: linearScale(scales.steps[0], scales.steps[1], plot.left, plot.left + plot.width),
    stepAt: linearScale(plot.left, plot.left + plot.width, scales.steps[0], scales.steps[1]),
    y: scales.left ? yOf(scales.left, scene.log) : null,
    yShare: yOf([0, 1], false),
    leftTicks,
    leftLabels,
    shareTicks,
    stepTicks: stepTicks(
      scales.steps[0],
      scales.steps[1],
      Math.floor(plot.width / (widest([lastStep]) + STEP_LABEL_GAP)) + 1,
    ),
  };
}

/** Draws the chart in CSS pixels (the context scaled for the screen). */
export function drawChart(ctx: Context2D, scene: ChartScene): void {
  const px = scene.fontPx;
  const layout = chartLayout(scene, ctx);
  const { plot, bottom, x, y, yShare, leftTicks, leftLabels, shareTicks } = layout;
  const stepTicksShown = layout.stepTicks;

  // The grid, then the ticks and their labels.
  const crisp = (v: number) => Math.round(v * scene.ratio) / scene.ratio + 0.5 / scene.ratio;
  ctx.lineWidth = 1 / scene.ratio;
  ctx.strokeStyle = CHART_COLORS.grid;
  ctx.beginPath();
  for (const v of leftTicks) {
    const at = crisp(y!(v));
    ctx.moveTo(plot.left, at);
    ctx.lineTo(plot.left + plot.width, at);
  }
  for (const s of stepTicksShown) {
    const at = crisp(x(s));
    ctx.moveTo(at, plot.top);
    ctx.lineTo(at, bottom);
  }
  ctx.stroke();
  ctx.strokeStyle = CHART_COLORS.tick;
  ctx.beginPath();
  for (const v of leftTicks) {
    const at = crisp(y!(v));
    ctx.moveTo(plot.left - TICK, at);
    ctx.lineTo(plot.left, at);
  }
  for (const v of shareTicks) {
    const at = crisp(yShare(v));
    ctx.moveTo(plot.left + plot.width, at);
    ctx.lineTo(plot.left + plot.width + TICK, at);
  }
  for (const s of stepTicksShown) {
    const at = crisp(x(s));
    ctx.moveTo(at, bottom);
    ctx.lineTo(at, bottom + TICK);
  }
  ctx.stroke();

  ctx.fillStyle = CHART_COLORS.text;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  leftTicks.forEach((v, k) => ctx.fillText(leftLabels[k]!, plot.left - TICK - GAP, y!(v)));
  ctx.textAlign = 'left';
  for (const v of shareTicks)
    ctx.fillText(shareText(v), plot.left + plot.width + TICK + GAP, yShare(v));
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  for (const s of stepTicksShown) ctx.fillText(stepText.format(s), x(s), bottom + TICK + GAP);
  ctx.font = font(px, true);
  ctx.fillText('step', plot.left + plot.width / 2, bottom + TICK + GAP + 1.25 * px);

  // The lines, clipped to the plot (a line's width may reach a little past it).
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left - 2, plot.top - 2, plot.width + 4, plot.height + 4);
  ctx.clip();
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  for (const line of scene.lines) {
    const to = line.share ? yShare : y;
    if (!to) continue;
    const log = !line.share && scene.log;
    const at: [number, number][] = [];
    for (let k = 0; k < line.values.length; k++) {
      const v = line.values[k]!;
      if (plottable(v, log)) at.push([x(scene.steps[k]!), to(v)]);
    }
    ctx.strokeStyle = line.color;
    ctx.lineWidth = line.width;
    ctx.setLineDash(line.dash);
    // Gaps are spanned: a line joins the values on either side of a missing one.
    ctx.beginPath();
    at.forEach(([cx, cy], k) => (k === 0 ? ctx.moveTo(cx, cy) : ctx.lineTo(cx, cy)));
    ctx.stroke();
    // Few points far apart (the first steps, a test loss measured now and then) are dots as
    // well: a lone one would be no line at all.
    if (at.length > 0 && plot.width / at.length >= SPARSE_PX) {
      ctx.setLineDash([]);
      ctx.fillStyle = PALETTE.background;
      for (const [cx, cy] of at) {
        ctx.beginPath();
        ctx.arc(cx, cy, line.width + 1, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
    }
  }
  ctx.restore();
  drawStepMarks(ctx, scene.marks, x, plot, scene.markFontPx);
}

/** The marks' lines and labels; a mark off the plot is left out. */
function drawStepMarks(
  ctx: Context2D,
  marks: readonly StepMark[],
  x: (step: number) => number,
  plot: { left: number; top: number; width: number; height: number },
  fontPx: number,
): void {
  const end = plot.left + plot.width;
  ctx.save();
  ctx.font = font(fontPx);
  ctx.textBaseline = 'top';
  const shown = marks
    .map((mark) => ({ mark, x: Math.round(x(mark.step)) }))
    .filter(({ x }) => x >= plot.left - 1 && x <= end + 1);
  // Labels go right of their line, or left near the right edge; close ones take rows.
  const spans = shown.map(({ mark, x }) => {
    const width = ctx.measureText(mark.text).width;
    return x + 4 + width <= end
      ? { left: x, right: x + 4 + width }
      : { left: x - 4 - width, right: x };
  });
  const rows = labelRows(spans, 4);
  shown.forEach(({ mark, x }, k) => {
    ctx.strokeStyle = mark.color;
    ctx.fillStyle = mark.color;
    ctx.lineWidth = mark.lineWidth;
    ctx.setLineDash([...mark.dash]);
    ctx.beginPath();
    ctx.moveTo(x, plot.top);
    ctx.lineTo(x, plot.top + plot.height);
    ctx.stroke();
    const right = spans[k]!.left === x;
    ctx.textAlign = right ? 'left' : 'right';
    ctx.fillText(mark.text, right ? x + 4 : x - 4, plot.top + 2 + rows[k]! * (fontPx + 3));
  });
  ctx.restore();
}
