import type { TrainingSetup } from '../../session/state';
import { dataSeedOf } from '../../session/state';
import type { Dataset } from '../dataset';
import { splitTrainTest } from '../split';
import { isPlaneDatasetId } from './ids';
import { planeDataset } from './dataset';

export interface PlaneData {
  dataset: Dataset;
  /** x₁, x₂ per row, before the features. */
  raw: Float64Array;
  /** Row indices, ascending, as the server splits them (docs/resimulation.md §5). */
  trainRows: number[];
  testRows: number[];
}

/**
 * A setup's plane data, regenerated bit for bit as the server made it, so the client can
 * draw the points (solid train, hollow test) with no traffic. Null for any other data set.
 */
export function planeDatasetOf(setup: TrainingSetup): PlaneData | null {
  if (!isPlaneDatasetId(setup.datasetId) || !setup.plane) return null;
  const output = setup.activations[setup.activations.length - 1];
  if (!output) return null;
  const { dataset, raw } = planeDataset(setup.datasetId, setup.plane, dataSeedOf(setup), output);
  const split = splitTrainTest(dataset.rows, setup.testFraction, setup.seed);
  return { dataset, raw, trainRows: Array.from(split.train), testRows: Array.from(split.test) };
}
