import { housesDataset } from './builtins/houses';
import { sineDataset } from './builtins/sine';
import { workedExampleDataset } from './builtins/worked-example';
import { xorDataset } from './builtins/xor';

/** One column of a dataset, with what the UI needs to print its values. */
export interface Column {
  name: string;
  /** e.g. 'm²', 'years', '$'. For currency columns it is the symbol ('$' if absent). */
  unit?: string;
  format?: 'currency' | 'number';
}

/**
 * A table of numbers: `rows` samples, each with `inputs.length` inputs and
 * `targets.length` targets, stored row-major in flat arrays so the kernel can read
 * them without copying.
 */
export interface Dataset {
  /** 'houses' | 'xor' | 'worked-example' | 'sine' | 'csv' */
  id: string;
  title: string;
  /** One or two sentences for the UI: what it is and where it comes from. */
  description: string;
  inputs: Column[];
  targets: Column[];
  rows: number;
  /** rows × inputs.length, row-major. */
  x: Float64Array;
  /** rows × targets.length, row-major. */
  y: Float64Array;
}

export const DATASET_IDS = ['houses', 'xor', 'worked-example', 'sine'] as const;
export type BuiltinDatasetId = (typeof DATASET_IDS)[number];

/** The seed used when none is given, so "houses" means the same 200 houses everywhere. */
export const DEFAULT_DATASET_SEED = 1;

export function isBuiltinDatasetId(id: string): id is BuiltinDatasetId {
  return (DATASET_IDS as readonly string[]).includes(id);
}

/**
 * A fresh copy of a built-in dataset (callers may mutate it). Only 'houses' uses the
 * seed; the others are fixed tables or curves.
 */
export function builtinDataset(id: BuiltinDatasetId, seed = DEFAULT_DATASET_SEED): Dataset {
  switch (id) {
    case 'houses':
      return housesDataset(seed);
    case 'xor':
      return xorDataset();
    case 'worked-example':
      return workedExampleDataset();
    case 'sine':
      return sineDataset();
    default:
      // Ids also arrive from the network and from recordings, not only from typed code.
      throw new RangeError(
        `unknown dataset "${String(id)}"; the built-ins are ${DATASET_IDS.join(', ')}`,
      );
  }
}

// The API names these with the dataset; they live in their own files.
export { suggestedNetwork, type SuggestedNetwork } from './suggested-network';
export { WORKED_EXAMPLE_NETWORK } from './builtins/worked-example';
