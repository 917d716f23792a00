import {
  builtinDataset,
  DEFAULT_DATASET_SEED,
  DEFAULT_TEST_FRACTION,
  suggestedNetwork,
  type BuiltinDatasetId,
} from '@backprop/shared/data';
import type { Hyperparameters } from '@backprop/shared/session';
import { Training, type SetupChoice } from './training';

export const DEFAULT_DATASET: BuiltinDatasetId = 'houses';
export const DEFAULT_SEED = 1;
/** Steps per second while playing: slow enough to watch the loss fall. */
export const DEFAULT_SPEED = 10;

/** What a dataset's suggestion says, for a fresh session or a switch of dataset. */
export function suggestedChoice(datasetId: BuiltinDatasetId): SetupChoice {
  const suggestion = suggestedNetwork(datasetId);
  return {
    datasetId,
    hidden: suggestion.hidden,
    activations: suggestion.activations,
    trainBiases: true,
    seed: DEFAULT_SEED,
    dataSeed: DEFAULT_DATASET_SEED,
    normalize: suggestion.normalize,
    testFraction: DEFAULT_TEST_FRACTION,
  };
}

export function suggestedHyper(datasetId: string, speed = DEFAULT_SPEED): Hyperparameters {
  const { learningRate, batchSize } = suggestedNetwork(datasetId);
  return { learningRate, batchSize, speed };
}

/** Houses (data seed 1) with its suggested network, seed 1, normalized, 20 % test rows. */
export function defaultTraining(): { training: Training; hyper: Hyperparameters } {
  const choice = { ...suggestedChoice(DEFAULT_DATASET), normalize: true };
  return {
    training: new Training(choice, builtinDataset(DEFAULT_DATASET, choice.dataSeed)),
    hyper: suggestedHyper(DEFAULT_DATASET),
  };
}
