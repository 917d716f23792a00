import { describe, expect, test } from 'vitest';
import { paintPoints } from '../src/lib/plane/plane-paint';
import type { PlanePoints } from '../src/lib/plane/plane-view';
import { POINTS_OPTIONS } from './fixture';

/** A canvas whose 2D context notes the points drawn (arcs) and the colours they are filled with. */
function fakeCanvas() {
  const calls = { arcs: [] as [number, number][], fills: [] as string[], clears: 0 };
  let width = 0;
  const context = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    beginPath() {},
    arc(x: number, y: number) {
      calls.arcs.push([x, y]);
    },
    fill() {
      calls.fills.push(this.fillStyle);
    },
    stroke() {},
  };
  const canvas = {
    height: 0,
    get width() {
      return width;
    },
    // Setting a canvas's size clears it, even to the same size.
    set width(value: number) {
      width = value;
      calls.clears += 1;
    },
    getContext: () => context,
  };
  return { calls, canvas: canvas as unknown as HTMLCanvasElement };
}

const points: PlanePoints = {
  raw: new Float64Array([0, 0, 6, 6, -6, -6]),
  label: new Float64Array([1, -1, 1]),
  trainRows: [0, 1],
  testRows: [2],
};
const options = POINTS_OPTIONS;

describe("the heatmap's data points, on a canvas of their own", () => {
  test('are drawn at the screen’s resolution over a cleared canvas: training solid, test hollow', () => {
    const { calls, canvas } = fakeCanvas();
    paintPoints(canvas, { type: 'points', points, options });
    expect([canvas.width, canvas.height]).toEqual([300, 300]);
    expect(calls.clears).toBe(1);
    // (0, 0) in the middle; (6, 6) top right (x₂ grows upwards); (−6, −6) bottom left.
    expect(calls.arcs).toEqual([
      [150, 150],
      [300, 0],
      [0, 300],
    ]);
    // Only the two training points are filled, each in its class's colour.
    expect(calls.fills).toHaveLength(2);
    expect(calls.fills[0]).not.toBe(calls.fills[1]);
  });

  test('without test data, only the training points; drawn again, the canvas is cleared first', () => {
    const { calls, canvas } = fakeCanvas();
    paintPoints(canvas, { type: 'points', points, options: { ...options, showTest: false } });
    expect(calls.arcs).toHaveLength(2);
    paintPoints(canvas, { type: 'points', points, options: { ...options, size: 400 } });
    expect(calls.clears).toBe(2);
    expect(canvas.width).toBe(400);
    expect(calls.arcs.slice(2)).toEqual([
      [200, 200],
      [400, 0],
      [0, 400],
    ]);
  });
});
