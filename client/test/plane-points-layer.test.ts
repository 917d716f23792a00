import { describe, expect, test } from 'vitest';
import { PointsLayer, type PointsOptions } from '../src/lib/plane/draw';
import type { PlanePoints } from '../src/lib/plane/plane-view';

/** A 2D context that counts what is drawn on it (the calls PointsLayer and drawPoints make). */
function recorder() {
  const calls = { arc: 0, drawImage: [] as unknown[] };
  const context = {
    beginPath() {},
    arc() {
      calls.arc += 1;
    },
    fill() {},
    stroke() {},
    drawImage(source: unknown) {
      calls.drawImage.push(source);
    },
  };
  return { calls, context: context as unknown as CanvasRenderingContext2D };
}

function fakeCanvas() {
  const { calls, context } = recorder();
  const canvas = { width: 0, height: 0, getContext: () => context };
  return { calls, canvas: canvas as unknown as HTMLCanvasElement };
}

const points: PlanePoints = {
  raw: new Float64Array([0, 0, 1, 1, -1, 2]),
  label: new Float64Array([1, -1, 1]),
  trainRows: [0, 1],
  testRows: [2],
};
const options: PointsOptions = {
  extent: 6,
  size: 300,
  radius: 3,
  showTest: true,
  domain: { lo: -1, hi: 1 },
  classification: true,
};

describe('the plane pictures’ points layer', () => {
  test('draws the points once and copies them over every later picture', () => {
    const layer = fakeCanvas();
    const cache = new PointsLayer(() => layer.canvas);
    const target = recorder();
    cache.draw(target.context, points, options);
    cache.draw(target.context, points, { ...options });
    cache.draw(target.context, points, { ...options });
    expect(layer.calls.arc).toBe(3); // two training points and one test point, drawn once
    expect(target.calls.arc).toBe(0);
    expect(target.calls.drawImage).toEqual([layer.canvas, layer.canvas, layer.canvas]);
    expect([layer.canvas.width, layer.canvas.height]).toEqual([300, 300]);
  });

  test('draws them again when what they look like changes', () => {
    const layer = fakeCanvas();
    const cache = new PointsLayer(() => layer.canvas);
    const target = recorder();
    cache.draw(target.context, points, options);
    cache.draw(target.context, points, { ...options, showTest: false });
    expect(layer.calls.arc).toBe(3 + 2);
    cache.draw(target.context, points, { ...options, showTest: false, size: 400 });
    expect(layer.calls.arc).toBe(3 + 2 + 2);
    expect(layer.canvas.width).toBe(400);
    const moved: PlanePoints = { ...points, raw: new Float64Array([1, 1, 2, 2, 0, 0]) };
    cache.draw(target.context, moved, { ...options, showTest: false, size: 400 });
    expect(layer.calls.arc).toBe(3 + 2 + 2 + 2);
    expect(target.calls.drawImage).toHaveLength(4);
  });
});
