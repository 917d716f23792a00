import type { Dataset } from './dataset';

/**
 * Per-column z-scores: v' = (v − mean) / std. Fitted on the training rows only, so the
 * test rows stay unseen data, exactly as they would be in real use.
 */
export interface Normalizer {
  xMean: Float64Array;
  xStd: Float64Array;
  yMean: Float64Array;
  yStd: Float64Array;
}

/**
 * Means and population standard deviations (divided by n, so the fitted rows come out
 * with std exactly 1) of every column over `rowIndices` (default: all rows).
 * A constant column gets std 1 instead of 0: it becomes all zeros rather than NaN.
 */
export function fitNormalizer(ds: Dataset, rowIndices?: ArrayLike<number>): Normalizer {
  const rows = rowIndices ?? Array.from({ length: ds.rows }, (_, r) => r);
  if (rows.length === 0) throw new RangeError('cannot fit a normalizer on zero rows');
  for (let i = 0; i < rows.length; i++) checkRow(ds, rows[i] ?? -1);
  const x = columnStats(ds.x, ds.inputs.length, rows);
  const y = columnStats(ds.y, ds.targets.length, rows);
  return { xMean: x.mean, xStd: x.std, yMean: y.mean, yStd: y.std };
}

/** Mean 0 and std 1 everywhere: training on raw values through the same code path. */
export function identityNormalizer(ds: Dataset): Normalizer {
  const ones = (n: number) => new Float64Array(n).fill(1);
  return {
    xMean: new Float64Array(ds.inputs.length),
    xStd: ones(ds.inputs.length),
    yMean: new Float64Array(ds.targets.length),
    yStd: ones(ds.targets.length),
  };
}

/**
 * A copy of `ds` with every input and target in z-scores. Columns, names and units are
 * kept: they describe what the numbers were, and the UI shows values after
 * denormalizing them.
 */
export function normalizeDataset(ds: Dataset, n: Normalizer): Dataset {
  checkWidths(n, ds.inputs.length, ds.targets.length);
  return {
    ...ds,
    x: scale(ds.x, n.xMean, n.xStd, 'forward'),
    y: scale(ds.y, n.yMean, n.yStd, 'forward'),
  };
}

/** Raw inputs (one row, or several row-major) to z-scores, written to `out`. */
export function normalizeInput(
  n: Normalizer,
  raw: ArrayLike<number>,
  out = new Float64Array(raw.length),
): Float64Array {
  return scale(raw, n.xMean, n.xStd, 'forward', out);
}

/** Network outputs in z-scores (one row, or several row-major) back to the data's units. */
export function denormalizeTargets(
  n: Normalizer,
  values: Float64Array | number[],
  out = new Float64Array(values.length),
): Float64Array {
  return scale(values, n.yMean, n.yStd, 'inverse', out);
}

/** One output of target column `k` back to the data's units. */
export function denormalizeTarget(n: Normalizer, k: number, value: number): number {
  const mean = n.yMean[k];
  const std = n.yStd[k];
  if (mean === undefined || std === undefined) {
    throw new RangeError(`target ${k} does not exist (there are ${n.yMean.length})`);
  }
  return value * std + mean;
}

function columnStats(
  data: Float64Array,
  width: number,
  rows: ArrayLike<number>,
): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(width);
  const std = new Float64Array(width);
  for (let c = 0; c < width; c++) {
    let sum = 0;
    for (let i = 0; i < rows.length; i++) sum += data[(rows[i] ?? 0) * width + c] ?? 0;
    const m = sum / rows.length;
    // Two passes (mean first, then squared deviations) for accuracy on large values
    // like house prices, where E[v²] − E[v]² would cancel badly.
    let squares = 0;
    for (let i = 0; i < rows.length; i++) {
      const d = (data[(rows[i] ?? 0) * width + c] ?? 0) - m;
      squares += d * d;
    }
    const s = Math.sqrt(squares / rows.length);
    mean[c] = m;
    // Rounding leaves a constant column with a std of a few ulps of its mean, not 0:
    // treat anything that small as constant too.
    std[c] = s > 1e-12 * Math.abs(m) && s > 0 ? s : 1;
  }
  return { mean, std };
}

function scale(
  values: ArrayLike<number>,
  mean: Float64Array,
  std: Float64Array,
  direction: 'forward' | 'inverse',
  out = new Float64Array(values.length),
): Float64Array {
  const width = mean.length;
  if (width === 0 || values.length % width !== 0) {
    throw new RangeError(`expected a multiple of ${width} values, got ${values.length}`);
  }
  if (out.length < values.length) {
    throw new RangeError(`output has room for ${out.length} values, needs ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    const c = i % width;
    const v = values[i] ?? NaN;
    const m = mean[c] ?? 0;
    const s = std[c] ?? 1;
    out[i] = direction === 'forward' ? (v - m) / s : v * s + m;
  }
  return out;
}

function checkRow(ds: Dataset, r: number): void {
  if (!Number.isInteger(r) || r < 0 || r >= ds.rows) {
    throw new RangeError(`row ${r} is out of range (the dataset has ${ds.rows} rows)`);
  }
}

function checkWidths(n: Normalizer, inputs: number, targets: number): void {
  if (n.xMean.length !== inputs || n.yMean.length !== targets) {
    throw new RangeError(
      `the normalizer is for ${n.xMean.length} inputs and ${n.yMean.length} targets, ` +
        `the dataset has ${inputs} and ${targets}`,
    );
  }
}
