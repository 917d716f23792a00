import { expect, test } from 'vitest';
import { createRng, SampleOrder, SeededRng } from '../../src/nn';

function draw(order: SampleOrder, batchSize: number, batches: number): number[][] {
  const out = new Uint32Array(batchSize);
  return Array.from({ length: batches }, () =>
    Array.from(out.subarray(0, order.nextBatch(batchSize, out))),
  );
}

test('SeededRng gives createRng’s sequence, and a clone continues it independently', () => {
  const closure = createRng(42);
  const rng = new SeededRng(42);
  for (let k = 0; k < 100; k++) expect(rng.next()).toBe(closure());
  const copy = rng.clone();
  const ahead = Array.from({ length: 50 }, () => rng.next());
  expect(Array.from({ length: 50 }, () => copy.next())).toEqual(ahead);
});

test('a cloned sample order serves the same batches, across epochs, and leaves the original alone', () => {
  const order = new SampleOrder(10, 7);
  draw(order, 3, 5); // mid-epoch, after one reshuffle
  const clone = order.clone();
  expect(clone.epoch).toBe(order.epoch);
  expect(clone.position).toBe(order.position);
  const fromClone = draw(clone, 3, 20);
  expect(draw(order, 3, 20)).toEqual(fromClone);
  // Drawing from one does not move the other.
  const again = order.clone();
  draw(again, 4, 7);
  expect(draw(order.clone(), 3, 4)).toEqual(draw(order, 3, 4));
});
