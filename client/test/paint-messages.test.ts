import { expect, test } from 'vitest';
import { flattenWeights, unflattenWeights } from '../src/lib/paint/flat-weights';
import { denseWire } from '../src/lib/paint/paint-messages';
import { layoutDiagram } from '../src/lib/view/diagram-layout';

test('weights cross to the paint worker as one flat array and come back the same', () => {
  const layers = [3, 2, 1];
  const weights = [
    [
      [0.5, -1, 2],
      [0, 3.25, -0.125],
    ],
    [[7, -8]],
  ];
  const flat = flattenWeights(layers, weights);
  expect([...flat]).toEqual([0.5, -1, 2, 0, 3.25, -0.125, 7, -8]);
  expect(unflattenWeights(layers, flat)).toEqual(weights);
});

test('a weight the state does not have yet is drawn as 0', () => {
  expect([...flattenWeights([2, 1], [])]).toEqual([0, 0]);
  // A short row, and a reused array that held other numbers: every place is written.
  const into = new Float64Array([9, 9, 9, 9, 9, 9]);
  expect([...flattenWeights([3, 2], [[[1]]], into)]).toEqual([1, 0, 0, 0, 0, 0]);
});

test('a dense scene travels with its layout only when the worker does not have it', () => {
  const layout = layoutDiagram([2, 1], null);
  const scene = {
    layout,
    layers: [2, 1],
    weights: [[[0.5, -2]]],
    activations: [[1, 2], null],
    selected: { kind: 'unit' as const, layer: 1, unit: 0 },
    bands: [{ x: 1, width: 2, kind: 'current' as const }],
  };
  const size = { width: 200, height: 100, scale: 2 };
  const first = denseWire(size, scene, null);
  expect(first.layout).toBe(layout);
  expect([...first.weights]).toEqual([0.5, -2]);
  // Plain copies: the page's reactive state is never handed to postMessage.
  expect(first.selected).toEqual(scene.selected);
  expect(first.selected).not.toBe(scene.selected);
  expect(first.activations[0]).not.toBe(scene.activations[0]);
  expect('layout' in denseWire(size, scene, layout)).toBe(false);
});

test('a dense scene reuses the array it is given for its weights when they fit, else makes one', () => {
  const layout = layoutDiagram([2, 1], null);
  const scene = (w: number) => ({
    layout,
    layers: [2, 1],
    weights: [[[w, -w]]],
    activations: [],
    selected: null,
    bands: [],
  });
  const size = { width: 200, height: 100, scale: 2 };
  const first = denseWire(size, scene(1), null);
  const second = denseWire(size, scene(2), layout, first.weights);
  expect(second.weights).toBe(first.weights);
  expect([...second.weights]).toEqual([2, -2]);
  // Another network: a new array of its size.
  const other = denseWire(
    size,
    { ...scene(3), layers: [3, 1], weights: [[[1, 2, 3]]] },
    null,
    first.weights,
  );
  expect(other.weights).not.toBe(first.weights);
  expect([...other.weights]).toEqual([1, 2, 3]);
});
