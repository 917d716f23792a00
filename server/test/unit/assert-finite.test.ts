import { expect, test } from 'vitest';
import { findNonFinite } from '../../src/room/assert-finite';

test('finds the first non-finite number and says where it is', () => {
  expect(findNonFinite({ a: [1, 2, { b: 3 }], c: 'x', d: null })).toBeNull();
  expect(findNonFinite({ a: [1, 2, { b: NaN }] })).toBe('a[2].b is NaN');
  expect(findNonFinite({ network: { weights: [[[0, -Infinity]]] } })).toBe(
    'network.weights[0][0][1] is -Infinity',
  );
  expect(findNonFinite(Infinity)).toBe('value is Infinity');
});
