import { describe, expect, test } from 'vitest';
import { gatherBatch, SampleOrder } from '../../src/nn/sampleOrder';

function drawEpochs(order: SampleOrder, batchSize: number, epochs: number) {
  const out = new Uint32Array(batchSize);
  const batches: number[][] = [];
  while (order.epoch < epochs) {
    const count = order.nextBatch(batchSize, out);
    batches.push(Array.from(out.subarray(0, count)));
  }
  return batches;
}

describe('SampleOrder', () => {
  test('each epoch visits every row once; batches never cross an epoch', () => {
    const batches = drawEpochs(new SampleOrder(10, 5), 4, 3);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2]);
    for (let e = 0; e < 3; e++) {
      const epoch = batches.slice(3 * e, 3 * e + 3).flat();
      expect([...epoch].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  test('epoch counts completed epochs, position the rows served in the current one', () => {
    const order = new SampleOrder(5, 1);
    const out = new Uint32Array(3);
    expect([order.epoch, order.position]).toEqual([0, 0]);
    order.nextBatch(3, out);
    expect([order.epoch, order.position]).toEqual([0, 3]);
    expect(order.nextBatch(3, out)).toBe(2);
    expect([order.epoch, order.position]).toEqual([1, 0]);
  });

  test('reshuffles at every epoch, the same way for the same seed', () => {
    const a = drawEpochs(new SampleOrder(20, 3), 20, 3);
    expect(drawEpochs(new SampleOrder(20, 3), 20, 3)).toEqual(a);
    expect(drawEpochs(new SampleOrder(20, 4), 20, 3)).not.toEqual(a);
    expect(a[0]).not.toEqual(a[1]);
    expect(a[1]).not.toEqual(a[2]);
  });

  test('bad arguments are refused', () => {
    expect(() => new SampleOrder(0, 1)).toThrow(/rows/);
    expect(() => new SampleOrder(3, 1).nextBatch(4, new Uint32Array(2))).toThrow(/batchSize/);
    expect(() => new SampleOrder(3, 1).nextBatch(0, new Uint32Array(2))).toThrow(/batchSize/);
  });
});

describe('gatherBatch', () => {
  const data = Float64Array.from([0, 1, 10, 11, 20, 21, 30, 31]); // 4 rows of 2

  test('copies the chosen rows in order', () => {
    const out = new Float64Array(6);
    gatherBatch(data, 2, Uint32Array.of(3, 0, 2), 3, out);
    expect(Array.from(out)).toEqual([30, 31, 0, 1, 20, 21]);
  });

  test('refuses rows outside the data and batches that do not fit', () => {
    expect(() => gatherBatch(data, 2, Uint32Array.of(4), 1, new Float64Array(2))).toThrow(/row 4/);
    expect(() => gatherBatch(data, 2, Uint32Array.of(0, 1), 2, new Float64Array(3))).toThrow(/fit/);
  });
});
