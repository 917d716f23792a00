import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { PaintMessage } from '../src/lib/paint/paint-messages';
import { WorkerCanvases, type PaintReply } from '../src/lib/paint/worker-canvases';
import { flatNetwork } from '../src/lib/plane/grid';
import type { HeatmapScene, PicturesScene, PlaneInput } from '../src/lib/plane/plane-paint';
import { POINTS_OPTIONS } from './fixture';

/** A 2-D context that draws nothing and notes the calls that matter here. */
function fakeContext(log: string[]) {
  return {
    imageSmoothingEnabled: true,
    createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) }),
    putImageData: () => log.push('cells'),
    drawImage: () => {},
    clearRect: () => {},
    save: () => {},
    restore: () => {},
    beginPath: () => {},
    arc: () => log.push('arc'),
    clip: () => {},
    fill: () => {},
    stroke: () => {},
    fillText: () => log.push('text'),
    measureText: () => ({ fontBoundingBoxAscent: 10, fontBoundingBoxDescent: 2 }),
  };
}

let log: string[] = [];
beforeEach(() => {
  log = [];
  vi.stubGlobal(
    'OffscreenCanvas',
    class {
      constructor(
        public width: number,
        public height: number,
      ) {}
      getContext = () => fakeContext(log);
    },
  );
});
afterEach(() => vi.unstubAllGlobals());

const canvas = () =>
  new OffscreenCanvas(10, 10) as unknown as Extract<PaintMessage, { kind: 'canvas' }>['canvas'];

/** tanh(x₁ + bias) over the plane: blue (≥ 0) where x₁ > −bias. */
function plane(key: number, bias: number): PlaneInput {
  const layers = [2, 1];
  return {
    key,
    shape: { layers, activations: ['tanh'], resolution: 8, extent: 6 },
    features: ['x1', 'x2'],
    network: flatNetwork(layers, { weights: [[[1, 0]]], biases: [[bias]] }),
  };
}

function heatmap(input: PlaneInput): HeatmapScene {
  return {
    type: 'heatmap',
    plane: input,
    focus: null,
    domain: { lo: -1, hi: 1 },
    discretize: false,
  };
}

function pictures(input: PlaneInput): PicturesScene {
  return {
    type: 'pictures',
    width: 100,
    height: 50,
    plane: input,
    every: 2,
    units: [{ layer: 1, unit: 0, x: 20, y: 20 }],
    radius: 10,
  };
}

function worker() {
  const rounds: (() => void)[] = [];
  const replies: PaintReply[] = [];
  const canvases = new WorkerCanvases(
    (round) => rounds.push(round),
    (reply) => replies.push(reply),
  );
  canvases.receive([
    { kind: 'canvas', id: 1, canvas: canvas() },
    { kind: 'canvas', id: 2, canvas: canvas() },
    { kind: 'canvas', id: 3, canvas: canvas() },
  ]);
  const runRounds = () => rounds.splice(0).forEach((round) => round());
  return { canvases, rounds, replies, runRounds };
}

test('the plane waits for a round of its own, and only the newest scene of each canvas is drawn', () => {
  const { canvases, rounds, replies, runRounds } = worker();
  // Three states arrive before the worker gets to them (it was busy): one round, one drawing.
  canvases.receive([{ kind: 'scene', id: 1, scene: heatmap(plane(1, 3)) }]);
  canvases.receive([{ kind: 'scene', id: 1, scene: heatmap(plane(2, 0)) }]);
  canvases.receive([{ kind: 'scene', id: 1, scene: heatmap(plane(3, -3)) }]);
  expect(rounds).toHaveLength(1);
  expect(log).toEqual([]);
  runRounds();
  expect(log).toEqual(['cells']);
  expect(canvases.grids.evaluations).toBe(1);
  // The newest weights: x₁ > 3 is blue, a quarter of the plane.
  expect(replies).toEqual([{ id: 1, report: { share: 25 } }]);
});

test("a figure is drawn at once, without waiting for the plane's round", () => {
  const { canvases, runRounds } = worker();
  canvases.receive([
    { kind: 'scene', id: 1, scene: heatmap(plane(1, 0)) },
    {
      kind: 'scene',
      id: 3,
      scene: {
        type: 'figure',
        text: '42',
        look: {
          width: 40,
          height: 20,
          ratio: 1,
          style: 'normal',
          weight: '400',
          family: 'sans-serif',
          sizePx: 14,
          lineHeightPx: 20,
          color: '#000',
        },
      },
    },
  ]);
  expect(log).toEqual(['text']);
  runRounds();
  expect(log).toEqual(['text', 'cells']);
});

test('the heatmap and the unit pictures of one state share one evaluation; a toggle evaluates nothing', () => {
  const { canvases, replies, runRounds } = worker();
  const state = plane(7, 0);
  canvases.receive([
    { kind: 'scene', id: 1, scene: heatmap(state) },
    { kind: 'scene', id: 2, scene: pictures(state) },
  ]);
  runRounds();
  expect(canvases.grids.evaluations).toBe(1);
  expect(replies).toEqual([{ id: 1, report: { share: 50 } }]);
  // Discretize: drawn again from the same grid, and the same share is not reported again.
  canvases.receive([{ kind: 'scene', id: 1, scene: { ...heatmap(state), discretize: true } }]);
  runRounds();
  expect(canvases.grids.evaluations).toBe(1);
  expect(replies).toHaveLength(1);
});

test('weights of another shape than the setup draw nothing; a dropped canvas is not drawn', () => {
  const { canvases, replies, runRounds } = worker();
  const wrong: PlaneInput = {
    ...plane(1, 0),
    shape: { ...plane(1, 0).shape, layers: [2, 2, 1], activations: ['tanh', 'tanh'] },
  };
  canvases.receive([{ kind: 'scene', id: 1, scene: heatmap(wrong) }]);
  runRounds();
  expect(log).toEqual([]);
  expect(canvases.grids.evaluations).toBe(0);
  canvases.receive([
    { kind: 'scene', id: 2, scene: pictures(plane(2, 0)) },
    { kind: 'drop', id: 2 },
  ]);
  runRounds();
  expect(log).toEqual([]);
  expect(replies).toEqual([]);
});

test("a heatmap's data points are drawn at once on their own canvas, without waiting for the plane's round", () => {
  const { canvases, rounds, runRounds } = worker();
  const points = {
    raw: new Float64Array([0, 0]),
    label: new Float64Array([1]),
    trainRows: [0],
    testRows: [],
  };
  canvases.receive([
    { kind: 'scene', id: 1, scene: heatmap(plane(1, 0)) },
    { kind: 'scene', id: 2, scene: { type: 'points', points, options: POINTS_OPTIONS } },
  ]);
  // The points layer draws its one dot with arc(); the cells wait for the round.
  expect(log).toEqual(['arc']);
  expect(rounds).toHaveLength(1);
  runRounds();
  expect(log).toEqual(['arc', 'cells']);
});
