import { describe, expect, test } from 'vitest';
import {
  DATASET_IDS,
  WORKED_EXAMPLE_NETWORK,
  builtinDataset,
  isBuiltinDatasetId,
  suggestedNetwork,
  type BuiltinDatasetId,
  type Dataset,
} from '../../src/data/dataset';
import { HOUSES, housePrice, housesDataset } from '../../src/data/builtins/houses';
import { parseNetworkFile } from '../../src/nn/networkFile';

function column(ds: Dataset, k: number): number[] {
  const width = ds.inputs.length;
  return Array.from({ length: ds.rows }, (_, r) => ds.x[r * width + k] ?? NaN);
}

/** Least squares by the normal equations (Gaussian elimination with pivoting). */
function leastSquares(rows: number[][], y: number[]): number[] {
  const n = rows[0]?.length ?? 0;
  const a = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n + 1 }, (_, j) =>
      rows.reduce((s, row, r) => s + (row[i] ?? 0) * (j < n ? (row[j] ?? 0) : (y[r] ?? 0)), 0),
    ),
  );
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let j = c; j <= n; j++) a[r]![j]! -= f * a[c]![j]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}

describe('every built-in', () => {
  test.each(DATASET_IDS)('%s has consistent shapes and finite values', (id) => {
    const ds = builtinDataset(id);
    expect(ds.id).toBe(id);
    expect(ds.title).not.toBe('');
    expect(ds.description.length).toBeGreaterThan(20);
    expect(ds.x).toHaveLength(ds.rows * ds.inputs.length);
    expect(ds.y).toHaveLength(ds.rows * ds.targets.length);
    expect([...ds.x, ...ds.y].every(Number.isFinite)).toBe(true);
  });

  test.each(DATASET_IDS)('%s comes back as a fresh copy', (id) => {
    const a = builtinDataset(id);
    a.x[0] = 12345;
    expect(builtinDataset(id).x[0]).not.toBe(12345);
  });

  test('ids are recognised, and an unknown one is refused', () => {
    expect(isBuiltinDatasetId('houses')).toBe(true);
    expect(isBuiltinDatasetId('csv')).toBe(false);
    expect(() => builtinDataset('iris' as BuiltinDatasetId)).toThrow(/unknown dataset "iris"/);
  });
});

describe('houses', () => {
  test('the same seed gives the same houses, another seed others', () => {
    const a = builtinDataset('houses', 42);
    const b = builtinDataset('houses', 42);
    const c = builtinDataset('houses', 43);
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(b.y)).toEqual(Array.from(a.y));
    expect(Array.from(c.x)).not.toEqual(Array.from(a.x));
    expect(Array.from(c.y)).not.toEqual(Array.from(a.y));
    expect(Array.from(builtinDataset('houses').y)).toEqual(
      Array.from(builtinDataset('houses', 1).y),
    );
  });

  test('features stay in their documented ranges, as whole numbers', () => {
    const ds = builtinDataset('houses', 7);
    expect(ds.rows).toBe(HOUSES.rows);
    const ranges = [HOUSES.area, HOUSES.bedrooms, HOUSES.age];
    ranges.forEach((range, k) => {
      const values = column(ds, k);
      expect(values.every(Number.isInteger)).toBe(true);
      expect(Math.min(...values)).toBeGreaterThanOrEqual(range.min);
      expect(Math.max(...values)).toBeLessThanOrEqual(range.max);
      // Spread over the range, not bunched at one end.
      expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(
        0.6 * (range.max - range.min),
      );
    });
    expect(Array.from(ds.y).every((p) => Number.isInteger(p) && p >= HOUSES.minPrice)).toBe(true);
  });

  test('over a few seeds, features reach both ends of their ranges', () => {
    const all = Array.from({ length: 10 }, (_, seed) => builtinDataset('houses', seed + 1));
    [HOUSES.area, HOUSES.bedrooms, HOUSES.age].forEach((range, k) => {
      const values = all.flatMap((ds) => column(ds, k));
      expect(Math.min(...values)).toBe(range.min);
      expect(Math.max(...values)).toBe(range.max);
    });
  });

  test('without noise the price is exactly the documented formula', () => {
    const ds = housesDataset(5, 0);
    expect(housePrice(100, 3, 20)).toBe(50_000 + 200_000 + 45_000 - 16_000);
    for (let r = 0; r < ds.rows; r++) {
      const [area, bedrooms, age] = [0, 1, 2].map((k) => ds.x[r * 3 + k] ?? NaN);
      expect(ds.y[r]).toBe(housePrice(area!, bedrooms!, age!));
    }
  });

  test('with noise, least squares recovers the coefficients and σ', () => {
    const ds = builtinDataset('houses', 3);
    const rows = Array.from({ length: ds.rows }, (_, r) => [
      1,
      ds.x[r * 3] ?? 0,
      ds.x[r * 3 + 1] ?? 0,
      ds.x[r * 3 + 2] ?? 0,
    ]);
    const y = Array.from(ds.y);
    const [base, area, bedrooms, age] = leastSquares(rows, y);
    expect(Math.abs(area! - HOUSES.perSquareMetre)).toBeLessThan(100);
    expect(Math.abs(bedrooms! - HOUSES.perBedroom)).toBeLessThan(5_000);
    expect(Math.abs(age! - HOUSES.perYearOfAge)).toBeLessThan(150);
    expect(Math.abs(base! - HOUSES.base)).toBeLessThan(15_000);
    const residuals = rows.map((row, r) => y[r]! - housePrice(row[1]!, row[2]!, row[3]!));
    const sigma = Math.sqrt(residuals.reduce((s, e) => s + e * e, 0) / residuals.length);
    expect(sigma).toBeGreaterThan(0.8 * HOUSES.noiseStd);
    expect(sigma).toBeLessThan(1.2 * HOUSES.noiseStd);
  });

  test('the description states the formula', () => {
    const { description } = builtinDataset('houses');
    for (const part of [
      '$50,000',
      '$2,000 per m²',
      '$15,000 per bedroom',
      '$800 per year',
      '$15,000',
    ]) {
      expect(description).toContain(part);
    }
    expect(builtinDataset('houses').targets[0]).toEqual({
      name: 'price',
      unit: '$',
      format: 'currency',
    });
  });
});

describe('fixed tables', () => {
  test('xor', () => {
    const ds = builtinDataset('xor');
    expect(ds.rows).toBe(4);
    expect(Array.from(ds.x)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect(Array.from(ds.y)).toEqual([0, 1, 1, 0]);
  });

  test('worked example: Mazur’s sample, credited', () => {
    const ds = builtinDataset('worked-example');
    expect(ds.rows).toBe(1);
    expect(Array.from(ds.x)).toEqual([0.05, 0.1]);
    expect(Array.from(ds.y)).toEqual([0.01, 0.99]);
    expect(ds.description).toContain('Matt Mazur');
    expect(ds.description).toContain('A Step by Step Backpropagation Example');
  });

  test('worked example network: Mazur’s weights, a valid network file, frozen', () => {
    expect(WORKED_EXAMPLE_NETWORK).toEqual({
      layers: [2, 2, 2],
      activations: ['sigmoid', 'sigmoid'],
      trainBiases: false,
      weights: [
        [
          [0.15, 0.2],
          [0.25, 0.3],
        ],
        [
          [0.4, 0.45],
          [0.5, 0.55],
        ],
      ],
      biases: [
        [0.35, 0.35],
        [0.6, 0.6],
      ],
    });
    expect(parseNetworkFile(structuredClone(WORKED_EXAMPLE_NETWORK)).network).toBeDefined();
    expect(() => {
      WORKED_EXAMPLE_NETWORK.weights[0]![0]![0] = 1;
    }).toThrow(TypeError);
  });

  test('sine: 100 evenly spaced points from −π to π on the curve', () => {
    const ds = builtinDataset('sine');
    expect(ds.rows).toBe(100);
    expect(ds.x[0]).toBe(-Math.PI);
    expect(ds.x[99]).toBeCloseTo(Math.PI, 14);
    for (let r = 1; r < ds.rows; r++) {
      expect(ds.x[r]! - ds.x[r - 1]!).toBeCloseTo((2 * Math.PI) / 99, 12);
      expect(ds.y[r]).toBe(Math.sin(ds.x[r]!));
    }
  });
});

describe('suggestedNetwork', () => {
  test.each([...DATASET_IDS, 'csv'])('%s: one activation per non-input layer', (id) => {
    const s = suggestedNetwork(id);
    expect(s.activations).toHaveLength(s.hidden.length + 1);
    expect(s.hidden.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
    expect(s.learningRate).toBeGreaterThan(0);
    expect(s.batchSize).toBeGreaterThanOrEqual(1);
  });

  test('batches never exceed a built-in’s rows', () => {
    for (const id of DATASET_IDS) {
      expect(suggestedNetwork(id).batchSize).toBeLessThanOrEqual(builtinDataset(id).rows);
    }
  });

  test('the worked example matches the article', () => {
    expect(suggestedNetwork('worked-example')).toEqual({
      hidden: [2],
      activations: ['sigmoid', 'sigmoid'],
      learningRate: 0.5,
      batchSize: 1,
      normalize: false,
    });
  });

  test('unknown ids (uploaded CSVs) get the generic defaults; results are copies', () => {
    expect(suggestedNetwork('anything')).toEqual(suggestedNetwork('csv'));
    expect(suggestedNetwork('toString')).toEqual(suggestedNetwork('csv'));
    const a = suggestedNetwork('houses');
    a.hidden.push(99);
    expect(suggestedNetwork('houses').hidden).not.toContain(99);
  });
});
