import {
  fitNormalizer,
  identityNormalizer,
  normalizeDataset,
  splitTrainTest,
  subset,
  type Dataset,
  type Normalizer,
} from '@backprop/shared/data';
import { MAX_FIT_ROWS } from '@backprop/shared/session';
import { SetupError } from './setup-error';

/**
 * The largest |value| the server trains on, in the data and after normalizing. With
 * |parameters| ≤ 1e6 (the kernel's limit) and at most 64 units × 7 matrices, every
 * activation, loss and gradient computed from such data stays far below the float range,
 * so nothing non-finite can reach an event.
 */
export const MAX_ABS_DATA = 1e15;

/** Rows in the network's units (z-scores when normalizing), row-major. */
export interface Rows {
  x: Float64Array;
  y: Float64Array;
  rows: number;
}

/** A dataset made ready for training: split, normalized, with the rows the fit view shows. */
export interface PreparedData {
  /** In the data's own units. */
  dataset: Dataset;
  /** Identity when the setup does not normalize. */
  normalizer: Normalizer;
  train: Rows & { /** Row of `dataset` for each training row. */ rowIds: Uint32Array };
  test: Rows | null;
  /** The fit view's rows: ids in `dataset`, inputs in network units, actual first target. */
  fit: { rowIds: number[]; x: Float64Array; actual: number[] };
}

export function prepareData(
  dataset: Dataset,
  options: { normalize: boolean; testFraction: number; seed: number },
): PreparedData {
  checkMagnitudes(dataset, 'the data');
  const split = splitTrainTest(dataset.rows, options.testFraction, options.seed);
  const normalizer = options.normalize
    ? fitNormalizer(dataset, split.train)
    : identityNormalizer(dataset);
  const inNetworkUnits = normalizeDataset(dataset, normalizer);
  checkMagnitudes(inNetworkUnits, 'the normalized data');

  const train = subset(inNetworkUnits, split.train);
  const test = split.test.length > 0 ? subset(inNetworkUnits, split.test) : null;
  const fitRowIds = evenlySpacedRows(dataset.rows, MAX_FIT_ROWS);
  const fitRows = subset(inNetworkUnits, fitRowIds);
  const targets = dataset.targets.length;
  return {
    dataset,
    normalizer,
    train: { x: train.x, y: train.y, rows: train.rows, rowIds: split.train },
    test: test && { x: test.x, y: test.y, rows: test.rows },
    fit: {
      rowIds: fitRowIds,
      x: fitRows.x,
      actual: fitRowIds.map((r) => dataset.y[r * targets]!),
    },
  };
}

/** All rows when there are few enough, else `max` rows spread evenly over the data. */
function evenlySpacedRows(rows: number, max: number): number[] {
  const count = Math.min(rows, max);
  return Array.from({ length: count }, (_, k) => Math.floor((k * rows) / count));
}

export function checkMagnitudes(ds: Dataset, what: string): void {
  for (const values of [ds.x, ds.y]) {
    for (const value of values) {
      if (!(Math.abs(value) <= MAX_ABS_DATA)) {
        throw new SetupError(
          `${what} holds ${value}; values must be finite and within ±${MAX_ABS_DATA}`,
        );
      }
    }
  }
}
