import { createRng, shuffleInPlace } from '../nn/random';
import type { Dataset } from './dataset';

export const MAX_TEST_FRACTION = 0.9;
/** A new session's share of test rows. */
export const DEFAULT_TEST_FRACTION = 0.2;
/**
 * The playground's points keep at least this share for testing, as TensorFlow Playground's
 * train/test ratio runs 10–90 %; a table (houses, the 4-row XOR) may test on none.
 */
export const MIN_PLANE_TEST_FRACTION = 0.1;

/** The test fraction nearest to `testFraction` that the host's form offers for a data set. */
export function testFractionFor(datasetIsPlane: boolean, testFraction: number): number {
  const min = datasetIsPlane ? MIN_PLANE_TEST_FRACTION : 0;
  return Math.min(MAX_TEST_FRACTION, Math.max(min, testFraction));
}

const SPLIT_SALT = 0x5b1e_7e57;

/**
 * A seeded random split of row indices into train and test. The test set gets
 * round(rows × testFraction) rows but never all of them: training needs at least one.
 * Both lists come back in ascending row order (a set, not a sample order: the kernel
 * shuffles each epoch itself), so the UI can list test rows as they appear in the data.
 */
export function splitTrainTest(
  rows: number,
  testFraction: number,
  seed: number,
): { train: Uint32Array; test: Uint32Array } {
  if (!Number.isInteger(rows) || rows < 1) {
    throw new RangeError(`cannot split ${rows} rows: need a whole number of at least 1`);
  }
  if (!(testFraction >= 0 && testFraction <= MAX_TEST_FRACTION)) {
    throw new RangeError(
      `the test fraction must be between 0 and ${MAX_TEST_FRACTION}, got ${testFraction}`,
    );
  }
  const testCount = Math.min(Math.round(rows * testFraction), rows - 1);
  const order = Uint32Array.from({ length: rows }, (_, r) => r);
  // The session seed also seeds the initial weights and the sample order; a salted
  // stream keeps the split from being correlated with them.
  shuffleInPlace(order, createRng(seed + SPLIT_SALT));
  // A uniformly random order: its last testCount rows are a uniformly random test set.
  return {
    train: order.slice(0, rows - testCount).sort(),
    test: order.slice(rows - testCount).sort(),
  };
}

/** A new dataset holding the given rows of `ds`, in the given order. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const nIn = ds.inputs.length;
  const nOut = ds.targets.length;
  const x = new Float64Array(indices.length * nIn);
  const y = new Float64Array(indices.length * nOut);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i] ?? -1;
    if (!Number.isInteger(r) || r < 0 || r >= ds.rows) {
      throw new RangeError(`row ${r} is out of range (the dataset has ${ds.rows} rows)`);
    }
    x.set(ds.x.subarray(r * nIn, (r + 1) * nIn), i * nIn);
    y.set(ds.y.subarray(r * nOut, (r + 1) * nOut), i * nOut);
  }
  return { ...ds, rows: indices.length, x, y };
}
