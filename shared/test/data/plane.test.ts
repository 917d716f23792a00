import { describe, expect, test } from 'vitest';
import {
  FEATURE_NAMES,
  GAUSSIAN_MIX_BUMPS,
  PLANE_DATASET_IDS,
  PLANE_EXTENT,
  PLANE_SALT,
  applyFeatures,
  classLabel,
  featureLabel,
  findFeaturesProblem,
  gaussianMixValue,
  isClassification,
  isPlaneDatasetId,
  planeDatasetOf,
  planePoints,
  predictedClass,
  type PlaneDatasetId,
} from '../../src/data/plane';
import { splitTrainTest } from '../../src/data/split';
import { createRng } from '../../src/nn/random';
import type { TrainingSetup } from '../../src/session/state';

const CLASSES = PLANE_DATASET_IDS.filter(isClassification);
const REGRESSIONS = PLANE_DATASET_IDS.filter((id) => !isClassification(id));

function point(p: { x: Float64Array }, i: number): [number, number] {
  return [p.x[2 * i]!, p.x[2 * i + 1]!];
}

describe('plane data set ids', () => {
  test('four classify, two regress; xor and houses are not plane data sets', () => {
    expect(CLASSES).toEqual(['circle', 'quadrants', 'gaussians', 'spiral']);
    expect(REGRESSIONS).toEqual(['plane', 'gaussian-mix']);
    expect(isPlaneDatasetId('spiral')).toBe(true);
    expect(isPlaneDatasetId('xor')).toBe(false);
    expect(isPlaneDatasetId('houses')).toBe(false);
  });
});

describe.each(PLANE_DATASET_IDS)('planePoints(%s)', (id: PlaneDatasetId) => {
  test('the same seed gives the same bits; another seed other points', () => {
    const a = planePoints(id, { noise: 0.3, points: 400 }, 7);
    const b = planePoints(id, { noise: 0.3, points: 400 }, 7);
    const c = planePoints(id, { noise: 0.3, points: 400 }, 8);
    expect(Buffer.from(a.x.buffer).equals(Buffer.from(b.x.buffer))).toBe(true);
    expect(Buffer.from(a.label.buffer).equals(Buffer.from(b.label.buffer))).toBe(true);
    expect(Buffer.from(a.x.buffer).equals(Buffer.from(c.x.buffer))).toBe(false);
  });

  test.each([50, 51, 1000])('%i points stay on the plane with labels in range', (n) => {
    for (const noise of [0, 0.5]) {
      const p = planePoints(id, { noise, points: n }, 3);
      expect(p.x.length).toBe(2 * n);
      expect(p.label.length).toBe(n);
      expect(Math.max(...p.x.map(Math.abs))).toBeLessThanOrEqual(PLANE_EXTENT);
      const labels = new Set(p.label);
      if (isClassification(id)) expect([...labels].sort()).toEqual([-1, 1]);
      else expect(Math.max(...p.label.map(Math.abs))).toBeLessThanOrEqual(1);
    }
  });

  test('points spread over more than one quadrant (not a degenerate pile)', () => {
    const p = planePoints(id, { noise: 0, points: 200 }, 1);
    const quadrants = new Set<string>();
    for (let i = 0; i < 200; i++) quadrants.add(point(p, i).map(Math.sign).join());
    expect(quadrants.size).toBeGreaterThanOrEqual(2);
  });

  test('refuses options out of range with the reason', () => {
    expect(() => planePoints(id, { noise: 0.6, points: 100 }, 1)).toThrow(/noise/);
    expect(() => planePoints(id, { noise: NaN, points: 100 }, 1)).toThrow(/noise/);
    expect(() => planePoints(id, { noise: 0, points: 49 }, 1)).toThrow(/points/);
    expect(() => planePoints(id, { noise: 0, points: 100.5 }, 1)).toThrow(/points/);
    expect(() => planePoints(id, { noise: 0, points: 1001 }, 1)).toThrow(/points/);
  });
});

describe.each(CLASSES)('classification %s', (id) => {
  test.each([50, 51, 400, 999])('%i points: the first ⌈n/2⌉ are +1, the rest −1', (n) => {
    const p = planePoints(id, { noise: 0.5, points: n }, 11);
    const positives = Math.ceil(n / 2);
    for (let i = 0; i < n; i++) expect(p.label[i]).toBe(i < positives ? 1 : -1);
  });
});

describe('noise 0 is clean', () => {
  const seeds = [1, 2, 3, 4, 5];
  test('circle: +1 inside radius 2.5, −1 in the ring 3.5 … 5', () => {
    for (const seed of seeds) {
      const p = planePoints('circle', { noise: 0, points: 1000 }, seed);
      let wrong = 0;
      for (let i = 0; i < 1000; i++) {
        const r = Math.hypot(...point(p, i));
        const inside = r <= 2.5 + 1e-12;
        const ring = r >= 3.5 - 1e-12 && r <= 5 + 1e-12;
        if (p.label[i] === 1 ? !inside : !ring) wrong++;
      }
      expect(wrong).toBe(0);
    }
  });

  test('quadrants: the sign of x₁x₂ is the label, 0.3 from the axes', () => {
    for (const seed of seeds) {
      const p = planePoints('quadrants', { noise: 0, points: 1000 }, seed);
      let wrong = 0;
      let nearest = Infinity;
      for (let i = 0; i < 1000; i++) {
        const [x1, x2] = point(p, i);
        if (Math.sign(x1 * x2) !== p.label[i]) wrong++;
        nearest = Math.min(nearest, Math.abs(x1), Math.abs(x2));
      }
      expect(wrong).toBe(0);
      expect(nearest).toBeGreaterThanOrEqual(0.3);
    }
  });

  test('gaussians: the line x₁ + x₂ = 0 separates the classes', () => {
    for (const seed of seeds) {
      const p = planePoints('gaussians', { noise: 0, points: 1000 }, seed);
      let wrong = 0;
      for (let i = 0; i < 1000; i++) {
        const [x1, x2] = point(p, i);
        if (Math.sign(x1 + x2) !== p.label[i]) wrong++;
      }
      expect(wrong).toBe(0);
    }
  });

  test('spiral: point k of an arm of m lies at radius 5k/m, angle 3.5πk/m (+π for −1)', () => {
    const n = 301;
    const p = planePoints('spiral', { noise: 0, points: n }, 1);
    for (let i = 0; i < n; i++) {
      const positive = i < 151;
      const k = positive ? i : i - 151;
      const m = positive ? 151 : 150;
      const angle = (3.5 * Math.PI * k) / m + (positive ? 0 : Math.PI);
      const [x1, x2] = point(p, i);
      expect(x1).toBeCloseTo(((5 * k) / m) * Math.sin(angle), 12);
      expect(x2).toBeCloseTo(((5 * k) / m) * Math.cos(angle), 12);
    }
  });

  test('plane: the value is (x₁ + x₂) / 12', () => {
    const p = planePoints('plane', { noise: 0, points: 500 }, 2);
    for (let i = 0; i < 500; i++) {
      const [x1, x2] = point(p, i);
      expect(p.label[i]).toBe((x1 + x2) / 12);
    }
  });

  test('gaussian-mix: the value is the strongest bump', () => {
    const p = planePoints('gaussian-mix', { noise: 0, points: 500 }, 2);
    for (let i = 0; i < 500; i++) expect(p.label[i]).toBe(gaussianMixValue(...point(p, i)));
    // At a centre its own bump is ±1; far from all of them it is 0.
    for (const [c1, c2, sign] of GAUSSIAN_MIX_BUMPS) expect(gaussianMixValue(c1, c2)).toBe(sign);
    expect(gaussianMixValue(0, 0)).toBe(0);
  });
});

describe('noise moves the same points', () => {
  test.each(['circle', 'quadrants', 'spiral'] as const)(
    '%s: at noise 0.2 every coordinate is within 0.4 of its noise-0 place',
    (id) => {
      const clean = planePoints(id, { noise: 0, points: 300 }, 5);
      const noisy = planePoints(id, { noise: 0.2, points: 300 }, 5);
      let moved = 0;
      for (let i = 0; i < 600; i++) {
        const d = Math.abs(noisy.x[i]! - clean.x[i]!);
        expect(d).toBeLessThanOrEqual(0.4 + 1e-12);
        if (d > 0) moved++;
      }
      expect(moved).toBeGreaterThan(590);
    },
  );

  test('regression: noise moves the value, not the point', () => {
    const clean = planePoints('plane', { noise: 0, points: 300 }, 5);
    const noisy = planePoints('plane', { noise: 0.5, points: 300 }, 5);
    expect(Array.from(noisy.x)).toEqual(Array.from(clean.x));
    expect(Array.from(noisy.label)).not.toEqual(Array.from(clean.label));
  });
});

describe('the rules in docs/playground.md, drawn by hand', () => {
  test('circle, data seed 1: point 0 from the first four draws', () => {
    const rng = createRng(1 + PLANE_SALT);
    const radius = 2.5 * rng();
    const angle = 2 * Math.PI * rng();
    const n1 = 2 * 0.1 * (2 * rng() - 1);
    const n2 = 2 * 0.1 * (2 * rng() - 1);
    const p = planePoints('circle', { noise: 0.1, points: 50 }, 1);
    expect(point(p, 0)).toEqual([radius * Math.sin(angle) + n1, radius * Math.cos(angle) + n2]);
  });

  test('quadrants, data seed 1: point 0 takes five draws, point 1 starts at the sixth', () => {
    const rng = createRng(1 + PLANE_SALT);
    const draws = Array.from({ length: 10 }, () => rng());
    const [a1, a2, s, n1, n2] = draws.map((r, k) => (k < 2 ? 0.3 + 4.7 * r : r));
    const sign = s! < 0.5 ? 1 : -1;
    const p = planePoints('quadrants', { noise: 0, points: 50 }, 1);
    expect(point(p, 0)).toEqual([sign * a1! + 0 * n1!, sign * a2! + 0 * n2!]);
    expect(p.x[2]).toBe((draws[7]! < 0.5 ? 1 : -1) * (0.3 + 4.7 * draws[5]!));
  });
});

describe('features', () => {
  test('applyFeatures writes the named features in order at the offset', () => {
    const out = new Float64Array(9).fill(-7);
    applyFeatures(2, -3, FEATURE_NAMES, out, 1);
    expect(Array.from(out)).toEqual([-7, 2, -3, 4, 9, -6, Math.sin(2), Math.sin(-3), -7]);
    applyFeatures(0.5, 1, ['sin2', 'x1'], out);
    expect(out[0]).toBe(Math.sin(1));
    expect(out[1]).toBe(0.5);
  });

  test('labels as the diagram prints them', () => {
    expect(FEATURE_NAMES.map(featureLabel)).toEqual([
      'x₁',
      'x₂',
      'x₁²',
      'x₂²',
      'x₁x₂',
      'sin x₁',
      'sin x₂',
    ]);
  });

  test('a feature list needs one or more known features, none twice', () => {
    expect(findFeaturesProblem(['x1', 'x2'])).toBeNull();
    expect(findFeaturesProblem([])).toMatch(/at least one/);
    expect(findFeaturesProblem(['x3'])).toMatch(/unknown feature "x3"/);
    expect(findFeaturesProblem(['x1', 'x1'])).toMatch(/twice/);
  });
});

describe('class labels', () => {
  test('−1 / +1 for tanh, 0 / 1 otherwise; the threshold is the middle', () => {
    expect([classLabel(-1, 'tanh'), classLabel(1, 'tanh')]).toEqual([-1, 1]);
    for (const act of ['sigmoid', 'relu', 'linear'] as const) {
      expect([classLabel(-1, act), classLabel(1, act)]).toEqual([0, 1]);
      expect(predictedClass(0.6, act)).toBe(1);
      expect(predictedClass(0.4, act)).toBe(-1);
    }
    expect(predictedClass(-0.1, 'tanh')).toBe(-1);
    expect(predictedClass(0.1, 'tanh')).toBe(1);
  });
});

describe('planeDatasetOf', () => {
  const setup = (over: Partial<TrainingSetup> = {}): TrainingSetup => ({
    datasetId: 'spiral',
    datasetTitle: 'Spiral',
    datasetDescription: '',
    inputs: [],
    targets: [],
    rows: 120,
    trainRows: 84,
    testRows: 36,
    normalize: false,
    testFraction: 0.3,
    layers: [3, 4, 1],
    activations: ['tanh', 'sigmoid'],
    trainBiases: true,
    seed: 9,
    dataSeed: 4,
    plane: { noise: 0.1, points: 120, features: ['x1', 'x2', 'x1x2'] },
    ...over,
  });

  test('regenerates the points, their features, the mapped labels and the split', () => {
    const data = planeDatasetOf(setup())!;
    const p = planePoints('spiral', { noise: 0.1, points: 120 }, 4);
    expect(Array.from(data.raw)).toEqual(Array.from(p.x));
    expect(data.dataset.inputs.map((c) => c.name)).toEqual(['x₁', 'x₂', 'x₁x₂']);
    for (let r = 0; r < 120; r++) {
      const [x1, x2] = point(p, r);
      expect(Array.from(data.dataset.x.subarray(3 * r, 3 * r + 3))).toEqual([x1, x2, x1 * x2]);
      expect(data.dataset.y[r]).toBe(p.label[r] === 1 ? 1 : 0);
    }
    const split = splitTrainTest(120, 0.3, 9);
    expect(data.trainRows).toEqual(Array.from(split.train));
    expect(data.testRows).toEqual(Array.from(split.test));
    expect(data.testRows.length).toBe(36);
  });

  test('null for the other data sets or a setup without its plane part', () => {
    expect(planeDatasetOf(setup({ datasetId: 'xor', plane: undefined }))).toBeNull();
    expect(planeDatasetOf(setup({ plane: undefined }))).toBeNull();
  });
});

describe('the worked numbers of docs/playground.md', () => {
  const table: [PlaneDatasetId, number[], number[]][] = [
    [
      'circle',
      [0.8678325929537176, -0.6014936483160214, 1],
      [-2.8280939324318206, 4.373950557950685, -1],
    ],
    [
      'quadrants',
      [-2.172765642218292, -1.6683324743527919, 1],
      [4.26298638030421, -1.6020296535920353, -1],
    ],
    [
      'gaussians',
      [1.5494582366069682, 3.319429810054292, 1],
      [0.1467864171674882, -1.696356358157032, -1],
    ],
    [
      'spiral',
      [-0.13203262984752656, -0.15285421498119833, 1],
      [-0.2663855915889144, -0.2684690784662962, -1],
    ],
    [
      'plane',
      [-1.9804894477128983, -2.2928132247179747, -0.31251406939700244],
      [4.298129023052752, -1.7929803868755698, 0.4012483381666243],
    ],
    [
      'gaussian-mix',
      [-1.9804894477128983, -2.2928132247179747, 0.04794585228616353],
      [4.298129023052752, -1.7929803868755698, -0.4238613250942376],
    ],
  ];
  test.each(table)('%s, data seed 1, noise 0.2, 50 points', (id, first, twentySixth) => {
    const p = planePoints(id, { noise: 0.2, points: 50 }, 1);
    expect([...point(p, 0), p.label[0]]).toEqual(first);
    expect([...point(p, 25), p.label[25]]).toEqual(twentySixth);
  });
});
