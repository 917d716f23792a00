/**
 * Where a re-simulation finds each setup's dataset: a built-in or plane one is regenerated
 * from its id, the setup's data seed (and plane options), an uploaded CSV file comes with the recording (the
 * store keeps it, the export attaches it) under the seq of the setup that chose it.
 */
import {
  CsvError,
  generatedDataset,
  isBuiltinDatasetId,
  isPlaneDatasetId,
  parseCsvDataset,
} from '@backprop/shared/data';
import type { CsvAttachment } from '@backprop/shared/recording';
import { dataSeedOf } from '@backprop/shared/session';
import { CannotSimulate, type DatasetSource } from './simulator';

export const NO_DATASET = 'cannot verify: dataset not included';

/** `files` is asked at the first CSV setup only (most sessions have none). */
export function datasetSource(files: () => readonly CsvAttachment[]): DatasetSource {
  let attached: readonly CsvAttachment[] | null = null;
  return (setup, seq) => {
    if (isBuiltinDatasetId(setup.datasetId) || isPlaneDatasetId(setup.datasetId)) {
      return generatedDataset({
        ...setup,
        dataSeed: dataSeedOf(setup),
        outputActivation: setup.activations.at(-1)!,
      });
    }
    attached ??= files();
    const file = attached.find((f) => f.seq === seq);
    if (setup.datasetId !== 'csv' || !file) throw new CannotSimulate(NO_DATASET);
    try {
      return parseCsvDataset(file.text, { targets: file.targets });
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      throw new CannotSimulate(`cannot verify: the CSV file of seq ${seq}: ${err.message}`);
    }
  };
}
