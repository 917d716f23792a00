import type { ActivationName } from '../../nn/activations';
import type { Dataset } from '../dataset';
import { applyFeatures, featureLabel, findFeaturesProblem, type FeatureName } from './features';
import { planePoints, type PlaneOptions } from './generators';
import {
  isClassification,
  PLANE_DATASET_DESCRIPTIONS,
  PLANE_DATASET_TITLES,
  type PlaneDatasetId,
} from './ids';
import { classLabel } from './labels';

/** A plane data set's part of the setup: the generator's options and the input features. */
export interface PlaneSetup extends PlaneOptions {
  features: FeatureName[];
}

/**
 * The network's table for a plane data set: one input column per feature (of the raw
 * x₁, x₂: plane data are not normalized), one target (the label, in the output's range
 * for classification). `raw` keeps x₁, x₂ per row, for drawing the points.
 */
export function planeDataset(
  id: PlaneDatasetId,
  plane: PlaneSetup,
  dataSeed: number,
  outputActivation: ActivationName,
): { dataset: Dataset; raw: Float64Array } {
  const problem = findFeaturesProblem(plane.features);
  if (problem) throw new RangeError(problem);
  const points = planePoints(id, plane, dataSeed);
  const rows = plane.points;
  const nIn = plane.features.length;
  const x = new Float64Array(rows * nIn);
  const y = new Float64Array(rows);
  const classes = isClassification(id);
  for (let r = 0; r < rows; r++) {
    applyFeatures(points.x[2 * r]!, points.x[2 * r + 1]!, plane.features, x, r * nIn);
    const label = points.label[r]!;
    y[r] = classes ? classLabel(label, outputActivation) : label;
  }
  const dataset: Dataset = {
    id,
    title: PLANE_DATASET_TITLES[id],
    description: PLANE_DATASET_DESCRIPTIONS[id],
    inputs: plane.features.map((f) => ({ name: featureLabel(f), format: 'number' })),
    targets: [{ name: classes ? 'class' : 'value', format: 'number' }],
    rows,
    x,
    y,
  };
  return { dataset, raw: points.x };
}
