import { expect, test } from 'vitest';
import type { Canvas } from '../src/lib/paint/canvas';
import { chartWire, paintChart, type ChartLook } from '../src/lib/paint/chart-draw';
import type { ChartData } from '../src/lib/view/chart-scales';

/** A canvas whose 2-D context writes down its paths and text (each character 6 px wide). */
function recordingCanvas() {
  const texts: { text: string; x: number; y: number; font: string }[] = [];
  const paths: { color: string; dash: number[]; points: [number, number][] }[] = [];
  let path: [number, number][] = [];
  let dash: number[] = [];
  const context = {
    font: '',
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    textAlign: '',
    textBaseline: '',
    lineJoin: '',
    lineCap: '',
    setTransform: () => {},
    clearRect: () => {},
    save: () => {},
    restore: () => {},
    rect: () => {},
    clip: () => {},
    setLineDash: (d: number[]) => (dash = d),
    beginPath: () => (path = []),
    moveTo: (x: number, y: number) => path.push([x, y]),
    lineTo: (x: number, y: number) => path.push([x, y]),
    arc: (x: number, y: number) => path.push([x, y]),
    fill: () => {},
    stroke: () => paths.push({ color: context.strokeStyle, dash, points: path }),
    measureText: (text: string) => ({ width: 6 * text.length }),
    fillText: (text: string, x: number, y: number) =>
      texts.push({ text, x, y, font: context.font }),
  };
  const canvas = { width: 300, height: 150, getContext: () => context };
  return { canvas: canvas as unknown as Canvas & { width: number; height: number }, texts, paths };
}

const look: ChartLook = { width: 400, height: 200, ratio: 2, fontPx: 12, markFontPx: 11 };
const data: ChartData = {
  steps: [0, 10, 20, 30, 40],
  lines: [
    { values: [1, 0.5, NaN, 0.25, 0.2], color: '#train', width: 2, dash: [] },
    { values: [0.5, 0.6, 0.7, 0.8, 0.9], color: '#accuracy', width: 2, dash: [2, 3], share: true },
  ],
  log: false,
  reach: [],
  marks: [{ step: 20, text: 'α 0.1', color: '#mark', lineWidth: 1, dash: [4, 4] }],
};

function paint(chart: ChartData) {
  const drawn = recordingCanvas();
  paintChart(drawn.canvas, chartWire(chart, look).scene);
  return drawn;
}

test('a chart fills its canvas at the screen’s density, its lines inside the plot', () => {
  const { canvas, paths } = paint(data);
  expect([canvas.width, canvas.height]).toEqual([800, 400]);
  const train = paths.find((p) => p.color === '#train')!;
  // The missing value is spanned: one line through the four others, left to right, the loss
  // falling (a smaller y is higher up).
  expect(train.points).toHaveLength(4);
  const xs = train.points.map(([x]) => x);
  expect(xs).toEqual([...xs].sort((a, b) => a - b));
  expect(train.points[3]![1]).toBeGreaterThan(train.points[0]![1]);
  for (const [x, y] of train.points) {
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(look.width);
    expect(y).toBeGreaterThan(0);
    expect(y).toBeLessThan(look.height);
  }
  // The first point is at the top of the plot (the largest loss), the accuracy's 0.9 near it.
  const accuracy = paths.find((p) => p.color === '#accuracy')!;
  expect(accuracy.dash).toEqual([2, 3]);
  expect(accuracy.points).toHaveLength(5);
  expect(accuracy.points[4]![1]).toBeLessThan(accuracy.points[0]![1]);
});

test('its axes say steps, losses and shares, and its marks their words, on their lines', () => {
  const { texts, paths } = paint(data);
  const said = texts.map((t) => t.text);
  expect(said).toContain('step');
  expect(said).toEqual(expect.arrayContaining(['0', '40', '0.4', '1', '0%', '100%', 'α 0.1']));
  const mark = paths.find((p) => p.color === '#mark')!;
  const label = texts.find((t) => t.text === 'α 0.1')!;
  // Vertical, at step 20, the label just right of it.
  expect(mark.points[0]![0]).toBe(mark.points[1]![0]);
  expect(label.x).toBe(mark.points[0]![0] + 4);
  expect(label.font).toBe('11px system-ui, sans-serif');
});

test('on a log scale, losses of 0 and below are left out, and nothing is drawn without a range', () => {
  const log = paint({
    ...data,
    lines: [{ values: [1, 0, 0.1, -1, 0.01], color: '#train', width: 2, dash: [] }],
    log: true,
  });
  expect(log.paths.find((p) => p.color === '#train')!.points).toHaveLength(3);
  expect(log.texts.map((t) => t.text)).toEqual(expect.arrayContaining(['0.01', '0.1', '1']));
  const empty = paint({
    ...data,
    lines: [{ values: [0, 0, 0, 0, 0], color: '#train', width: 2, dash: [] }],
    log: true,
  });
  expect(empty.paths.find((p) => p.color === '#train')).toBeUndefined();
});

test('a lone point, or a few far apart, are dots as well as a line; many close ones are not', () => {
  const strokes = (values: number[]) =>
    paint({
      ...data,
      steps: values.map((_, k) => k),
      lines: [{ values, color: '#train', width: 2, dash: [] }],
    }).paths.filter((p) => p.color === '#train');
  const lone = strokes([NaN, NaN, 5]);
  expect(
    lone.map((p) => p.points.length),
    'an empty line, then a dot',
  ).toEqual([1, 1]);
  expect(strokes(Array.from({ length: 1000 }, (_, k) => 1 / (k + 1)))).toHaveLength(1);
});

test('a chart’s values travel in typed arrays, moved with the scene', () => {
  const { scene, transfer } = chartWire(data, look);
  expect(scene.steps).toBeInstanceOf(Float64Array);
  expect(transfer).toEqual([scene.steps.buffer, ...scene.lines.map((l) => l.values.buffer)]);
  expect(Array.from(scene.lines[0]!.values)).toEqual([1, 0.5, NaN, 0.25, 0.2]);
});
