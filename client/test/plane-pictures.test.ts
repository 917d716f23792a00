import { describe, expect, it } from 'vitest';
import type { NetworkValues } from '@backprop/shared/session';
import { PlaneGrid, RAW_INPUTS } from '../src/lib/plane/grid';
import type { GridEvaluator } from '../src/lib/plane/grid-evaluator';
import { PlanePictures } from '../src/lib/plane/pictures.svelte';
import type { PlaneView } from '../src/lib/plane/plane-view';

const VIEW: PlaneView = {
  layers: [2, 1],
  activations: ['tanh'],
  extent: 6,
  inputs: RAW_INPUTS,
  features: ['x1', 'x2'],
  featureLabels: ['x₁', 'x₂'],
  classification: true,
  domain: { lo: -1, hi: 1 },
  points: { raw: new Float64Array(), label: new Float64Array(), trainRows: [], testRows: [] },
};
const net = (w: number): NetworkValues => ({ weights: [[[w, 0]]], biases: [[0]] });

/** A frame source the test runs by hand. */
function frames() {
  const queue: (() => void)[] = [];
  return {
    request: (callback: () => void) => queue.push(callback),
    run: () => queue.splice(0).forEach((callback) => callback()),
    get pending() {
      return queue.length;
    },
  };
}

function consumer(visible: boolean) {
  const painted: number[] = [];
  return {
    visible,
    painted,
    paint: (grid: PlaneGrid) => painted.push(grid.activations[1]![0]!),
  };
}

describe('PlanePictures', () => {
  it('evaluates at most once per frame however many states arrive', () => {
    const frame = frames();
    const pictures = new PlanePictures(frame.request);
    const picture = consumer(true);
    pictures.register(picture);
    for (let k = 1; k <= 10; k++) pictures.show(net(k / 10), VIEW);
    expect(frame.pending).toBe(1);
    frame.run();
    expect(pictures.evaluations).toBe(1);
    // The last weights are the ones painted: tanh(1 · x₁) at the top-left cell.
    expect(picture.painted).toEqual([Math.tanh(-6 + 6 / 64)]);
  });

  it('computes nothing while no picture is on screen, and catches up when one appears', () => {
    const frame = frames();
    const pictures = new PlanePictures(frame.request);
    const picture = consumer(false);
    pictures.register(picture);
    pictures.show(net(1), VIEW);
    expect(frame.pending).toBe(0);
    picture.visible = true;
    pictures.repaint(picture);
    frame.run();
    expect(pictures.evaluations).toBe(1);
    expect(picture.painted).toHaveLength(1);
  });

  it('does not evaluate again for the same weights; a repaint reuses the grid', () => {
    const frame = frames();
    const pictures = new PlanePictures(frame.request);
    const picture = consumer(true);
    pictures.register(picture);
    const same = net(1);
    pictures.show(same, VIEW);
    frame.run();
    pictures.show(same, VIEW);
    expect(frame.pending).toBe(0);
    pictures.repaint(picture);
    expect(picture.painted).toHaveLength(2);
    expect(pictures.evaluations).toBe(1);
  });

  it('skips weights of another shape than the setup instead of throwing', () => {
    const frame = frames();
    const pictures = new PlanePictures(frame.request);
    pictures.register(consumer(true));
    pictures.show(
      {
        weights: [
          [
            [1, 2],
            [3, 4],
          ],
        ],
        biases: [[0, 0]],
      },
      VIEW,
    );
    expect(() => frame.run()).not.toThrow();
    expect(pictures.evaluations).toBe(0);
  });
});

/** An evaluator the test answers by hand, as the worker would, with a grid of its own. */
function worker() {
  const asked: { network: NetworkValues; answer: () => void; refuse: () => void }[] = [];
  const evaluator: GridEvaluator & { failed: boolean } = {
    failed: false,
    evaluate: ({ shape, network }) =>
      new Promise((resolve, reject) => {
        asked.push({
          network,
          answer: () => {
            const grid = new PlaneGrid(shape);
            grid.evaluate(network, RAW_INPUTS);
            resolve(grid.activations);
          },
          refuse: () => reject(new Error('refused')),
        });
      }),
  };
  return { evaluator, asked };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PlanePictures with a worker', () => {
  it('paints the answer; one evaluation at a time, then the newest weights', async () => {
    const frame = frames();
    const { evaluator, asked } = worker();
    const pictures = new PlanePictures(frame.request, evaluator);
    const picture = consumer(true);
    pictures.register(picture);
    pictures.show(net(1), VIEW);
    frame.run();
    expect(asked).toHaveLength(1);
    expect(picture.painted).toEqual([]); // nothing computed on the page
    // Newer weights while the worker works: not asked for until it answers.
    pictures.show(net(0.5), VIEW);
    pictures.show(net(0.25), VIEW);
    frame.run();
    expect(asked).toHaveLength(1);
    asked[0]!.answer();
    await settle();
    expect(picture.painted).toEqual([Math.tanh(-6 + 6 / 64)]);
    // Its answer asks for the newest at the next frame, skipping the one in between.
    frame.run();
    expect(asked.map((a) => a.network.weights[0]![0]![0])).toEqual([1, 0.25]);
    asked[1]!.answer();
    await settle();
    expect(picture.painted.at(-1)).toBe(Math.tanh(0.25 * (-6 + 6 / 64)));
    expect(pictures.evaluations).toBe(2);
  });

  it('drops an answer for the setup before a new one, and evaluates on the page if the worker failed', async () => {
    const frame = frames();
    const { evaluator, asked } = worker();
    const pictures = new PlanePictures(frame.request, evaluator);
    const picture = consumer(true);
    pictures.register(picture);
    pictures.show(net(1), VIEW);
    frame.run();
    pictures.show(net(1), { ...VIEW }); // another setup of the same shape
    asked[0]!.answer();
    await settle();
    expect(picture.painted).toEqual([]);
    evaluator.failed = true;
    frame.run();
    expect(picture.painted).toEqual([Math.tanh(-6 + 6 / 64)]);
    expect(asked).toHaveLength(1);
  });
});
