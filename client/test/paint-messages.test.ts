import { expect, test } from 'vitest';
import { flattenWeights, unflattenWeights } from '../src/lib/paint/paint-messages';

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
});
