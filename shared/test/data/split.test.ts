import { describe, expect, test } from 'vitest';
import { builtinDataset } from '../../src/data/dataset';
import { splitTrainTest, subset } from '../../src/data/split';

describe('splitTrainTest', () => {
  test.each([
    [200, 0.2, 160, 40],
    [200, 0, 200, 0],
    [10, 0.9, 1, 9],
    [4, 0.25, 3, 1],
    [1, 0.5, 1, 0], // at least one training row
    [2, 0.9, 1, 1],
    [7, 0.5, 3, 4], // round(3.5) = 4
  ])('%i rows at %f: %i train, %i test', (rows, fraction, trainCount, testCount) => {
    const { train, test: held } = splitTrainTest(rows, fraction, 1);
    expect(train).toHaveLength(trainCount);
    expect(held).toHaveLength(testCount);
  });

  test('train and test are disjoint, cover every row, and are sorted', () => {
    const { train, test: held } = splitTrainTest(50, 0.3, 11);
    const all = [...train, ...held].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 50 }, (_, r) => r));
    for (const list of [train, held]) {
      expect(Array.from(list)).toEqual(Array.from(list).sort((a, b) => a - b));
    }
  });

  test('deterministic per seed, different across seeds, and random', () => {
    const a = splitTrainTest(100, 0.2, 5);
    expect(Array.from(splitTrainTest(100, 0.2, 5).test)).toEqual(Array.from(a.test));
    expect(Array.from(splitTrainTest(100, 0.2, 6).test)).not.toEqual(Array.from(a.test));
    // Not simply the last rows.
    expect(Array.from(a.test)).not.toEqual(Array.from({ length: 20 }, (_, i) => 80 + i));
  });

  test('every row is about equally likely to be held out', () => {
    const counts = new Array<number>(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) {
      for (const r of splitTrainTest(10, 0.3, seed).test) counts[r]!++;
    }
    // Expected 600 each; a binomial std of ~20.
    for (const c of counts) expect(Math.abs(c - 600)).toBeLessThan(100);
  });

  test('refuses bad arguments', () => {
    expect(() => splitTrainTest(0, 0.2, 1)).toThrow(RangeError);
    expect(() => splitTrainTest(2.5, 0.2, 1)).toThrow(RangeError);
    expect(() => splitTrainTest(10, 0.95, 1)).toThrow(/between 0 and 0.9/);
    expect(() => splitTrainTest(10, -0.1, 1)).toThrow(RangeError);
    expect(() => splitTrainTest(10, NaN, 1)).toThrow(RangeError);
    expect(() => splitTrainTest(10, 0.2, 1.5)).toThrow(RangeError);
  });
});

describe('subset', () => {
  test('copies the chosen rows in the given order', () => {
    const ds = builtinDataset('xor');
    const s = subset(ds, Uint32Array.of(3, 1));
    expect(s.rows).toBe(2);
    expect(Array.from(s.x)).toEqual([1, 1, 0, 1]);
    expect(Array.from(s.y)).toEqual([0, 1]);
    expect(s.inputs).toEqual(ds.inputs);
    s.x[0] = 9;
    expect(ds.x[6]).toBe(1);
  });

  test('an empty subset and out-of-range rows', () => {
    expect(subset(builtinDataset('xor'), []).rows).toBe(0);
    expect(() => subset(builtinDataset('xor'), [4])).toThrow(/row 4 is out of range/);
    expect(() => subset(builtinDataset('xor'), [-1])).toThrow(RangeError);
  });
});
