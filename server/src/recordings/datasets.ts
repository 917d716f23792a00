/**
 * Where a re-simulation finds each setup's dataset: a built-in one is regenerated from its
 * id and the setup's data seed, an uploaded CSV file comes with the recording (the
 * store keeps it, the export attaches it) under the seq of the setup that chose it.
 */
import {
  builtinDataset,
  CsvError,
  isBuiltinDatasetId,
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
    if (isBuiltinDatasetId(setup.datasetId)) {
      return builtinDataset(setup.datasetId, dataSeedOf(setup));
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
