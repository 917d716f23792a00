import type { ActivationName } from '../nn/activations';
import { builtinDataset, isBuiltinDatasetId, type Dataset } from './dataset';
import { planeDataset, type PlaneSetup } from './plane/dataset';
import { isPlaneDatasetId, PLANE_DATASET_TITLES } from './plane/ids';

/** What decides a generated (not uploaded) data set: the setup's or host:setup's fields. */
export interface GeneratedDatasetChoice {
  datasetId: string;
  dataSeed: number;
  plane?: PlaneSetup | undefined;
  /** The output layer's: plane classification labels are mapped to its range. */
  outputActivation: ActivationName;
}

/**
 * The data set a setup names, built from its seed: a built-in or a plane data set. The one
 * place the server, `cli verify` and the CLI turn a choice into rows. Throws a RangeError
 * saying what is wrong (an unknown id, a plane data set without its options or the reverse).
 */
export function generatedDataset(choice: GeneratedDatasetChoice): Dataset {
  const { datasetId: id, plane } = choice;
  if (isPlaneDatasetId(id)) {
    if (!plane) {
      throw new RangeError(
        `the ${PLANE_DATASET_TITLES[id]} data set needs its noise, number of points and features`,
      );
    }
    return planeDataset(id, plane, choice.dataSeed, choice.outputActivation).dataset;
  }
  if (plane) {
    throw new RangeError(`only the plane data sets take noise, points and features, not "${id}"`);
  }
  if (!isBuiltinDatasetId(id)) throw new RangeError(`"${id}" is not a generated data set`);
  return builtinDataset(id, choice.dataSeed);
}
