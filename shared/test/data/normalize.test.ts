import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { builtinDataset, type Dataset } from '../../src/data/dataset';
import {
  denormalizeTarget,
  denormalizeTargets,
  fitNormalizer,
  identityNormalizer,
  normalizeDataset,
  normalizeInput,
} from '../../src/data/normalize';
import { splitTrainTest, subset } from '../../src/data/split';

function table(rows: number[][], targets: number): Dataset {
  const width = (rows[0]?.length ?? 0) - targets;
  return {
    id: 'csv',
    title: 't',
    description: 'd',
    inputs: Array.from({ length: width }, (_, c) => ({ name: `x${c}` })),
    targets: Array.from({ length: targets }, (_, c) => ({ name: `y${c}` })),
    rows: rows.length,
    x: Float64Array.from(rows.flatMap((r) => r.slice(0, width))),
    y: Float64Array.from(rows.flatMap((r) => r.slice(width))),
  };
}

/** Population mean and std of column k of a row-major array. */
function stats(data: Float64Array, width: number, k: number): { mean: number; std: number } {
  const values = Array.from({ length: data.length / width }, (_, r) => data[r * width + k]!);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return { mean, std };
}

describe('fitNormalizer', () => {
  test('known means and population stds', () => {
    const ds = table(
      [
        [1, 10, 100],
        [3, 10, 300],
      ],
      1,
    );
    const n = fitNormalizer(ds);
    expect(Array.from(n.xMean)).toEqual([2, 10]);
    expect(Array.from(n.xStd)).toEqual([1, 1]); // the constant column gets 1, not 0
    expect(Array.from(n.yMean)).toEqual([200]);
    expect(Array.from(n.yStd)).toEqual([100]);
  });

  test('a constant column normalizes to zeros, not NaN, even when rounding leaves a tiny std', () => {
    const ds = table(
      [[0.1], [0.1], [0.1], [0.1], [0.1], [0.1], [0.1]].map((r) => [...r, 1]),
      1,
    );
    const n = fitNormalizer(ds);
    expect(n.xStd[0]).toBe(1);
    expect(n.yStd[0]).toBe(1);
    const z = normalizeDataset(ds, n);
    expect(Array.from(z.x).every((v) => Math.abs(v) < 1e-15)).toBe(true);
  });

  test('train rows get mean 0 and std 1; test rows are not used', () => {
    const ds = builtinDataset('houses', 9);
    const { train, test: held } = splitTrainTest(ds.rows, 0.25, 9);
    const n = fitNormalizer(ds, train);
    const z = normalizeDataset(ds, n);
    const zTrain = subset(z, train);
    for (const [data, width] of [
      [zTrain.x, 3],
      [zTrain.y, 1],
    ] as const) {
      for (let k = 0; k < width; k++) {
        const s = stats(data, width, k);
        expect(Math.abs(s.mean)).toBeLessThan(1e-12);
        expect(s.std).toBeCloseTo(1, 12);
      }
    }
    // Fitted on the training rows alone: the same as fitting their subset.
    expect(Array.from(fitNormalizer(subset(ds, train)).yMean)).toEqual(Array.from(n.yMean));
    expect(Array.from(fitNormalizer(ds, held).yMean)).not.toEqual(Array.from(n.yMean));
  });

  test('refuses zero rows and rows out of range', () => {
    const ds = builtinDataset('xor');
    expect(() => fitNormalizer(ds, [])).toThrow(RangeError);
    expect(() => fitNormalizer(ds, [0, 4])).toThrow(/row 4 is out of range/);
    expect(() => fitNormalizer(ds, [1.5])).toThrow(RangeError);
  });
});

describe('normalizing and back', () => {
  test('normalizeDataset copies: the original is untouched', () => {
    const ds = builtinDataset('houses');
    const before = Array.from(ds.y);
    const z = normalizeDataset(ds, fitNormalizer(ds));
    expect(z.y).not.toBe(ds.y);
    expect(Array.from(ds.y)).toEqual(before);
    expect(z.inputs).toEqual(ds.inputs);
    expect(z.rows).toBe(ds.rows);
  });

  test('denormalizing the normalized targets gives back the data (houses)', () => {
    const ds = builtinDataset('houses', 2);
    const n = fitNormalizer(ds);
    const z = normalizeDataset(ds, n);
    const back = denormalizeTargets(n, z.y);
    for (let r = 0; r < ds.rows; r++) {
      expect(Math.abs(back[r]! - ds.y[r]!)).toBeLessThan(1e-9);
      expect(denormalizeTarget(n, 0, z.y[r]!)).toBe(back[r]);
    }
  });

  test('round trip for any table (property)', () => {
    const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(finite, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 30 }),
        (targets, rows) => {
          const ds = table(rows, targets);
          const n = fitNormalizer(ds);
          const z = normalizeDataset(ds, n);
          const back = denormalizeTargets(n, z.y);
          back.forEach((v, i) => {
            const want = ds.y[i]!;
            expect(Math.abs(v - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
          });
          // normalizeInput is the same transform as normalizeDataset's.
          expect(Array.from(normalizeInput(n, ds.x))).toEqual(Array.from(z.x));
        },
      ),
    );
  });

  test('normalizeInput writes into out and takes several rows', () => {
    const ds = table(
      [
        [0, 10, 5],
        [2, 30, 7],
      ],
      1,
    );
    const n = fitNormalizer(ds);
    const out = new Float64Array(4);
    expect(normalizeInput(n, [1, 20, 3, 40], out)).toBe(out);
    expect(Array.from(out)).toEqual([0, 0, 2, 2]);
    expect(() => normalizeInput(n, [1, 2, 3])).toThrow(/multiple of 2/);
    expect(() => normalizeInput(n, [1, 2], new Float64Array(1))).toThrow(RangeError);
  });

  test('denormalizeTargets handles several targets and plain arrays', () => {
    const ds = table(
      [
        [0, 10, 100],
        [0, 30, 300],
      ],
      2,
    );
    const n = fitNormalizer(ds);
    expect(Array.from(denormalizeTargets(n, [-1, 1, 0, 0]))).toEqual([10, 300, 20, 200]);
    expect(denormalizeTarget(n, 1, 2)).toBe(400);
    expect(() => denormalizeTarget(n, 2, 0)).toThrow(RangeError);
  });

  test('the identity normalizer changes nothing', () => {
    const ds = builtinDataset('sine');
    const n = identityNormalizer(ds);
    const z = normalizeDataset(ds, n);
    expect(Array.from(z.x)).toEqual(Array.from(ds.x));
    expect(Array.from(denormalizeTargets(n, ds.y))).toEqual(Array.from(ds.y));
  });

  test('a normalizer for another shape is refused', () => {
    expect(() =>
      normalizeDataset(builtinDataset('xor'), fitNormalizer(builtinDataset('houses'))),
    ).toThrow(/normalizer is for 3 inputs/);
  });
});
