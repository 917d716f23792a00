import type { ActivationName } from '../nn/activations';
import type { BuiltinDatasetId } from './dataset';
import type { PlaneDatasetId } from './plane/ids';

/** Starting settings the UI offers for a dataset; the instructor can change all of them. */
export interface SuggestedNetwork {
  /** Units per hidden layer (inputs and outputs come from the dataset). */
  hidden: number[];
  /** One per non-input layer: hidden.length + 1 names. */
  activations: ActivationName[];
  learningRate: number;
  batchSize: number;
  /** Whether to z-score inputs and targets (fitted on the training rows). */
  normalize: boolean;
}

const PLANE_START: SuggestedNetwork = {
  hidden: [4, 2],
  activations: ['tanh', 'tanh', 'tanh'],
  learningRate: 0.03,
  batchSize: 10,
  normalize: false,
};

/*
 * Why these (checked with plain SGD and Glorot-uniform starts over ten seeds): with
 * normalized data a tanh hidden layer and a linear output fit the houses within ~20
 * epochs and the sine curve within a few hundred. XOR keeps its 0/1 targets, so a
 * sigmoid output; three hidden units, because with two about a third of the seeds got
 * stuck in a local minimum. The worked example is Mazur's network exactly.
 */
const SUGGESTIONS: Record<BuiltinDatasetId | PlaneDatasetId | 'csv', SuggestedNetwork> = {
  houses: {
    hidden: [4],
    activations: ['tanh', 'linear'],
    learningRate: 0.1,
    batchSize: 16,
    normalize: true,
  },
  xor: {
    hidden: [3],
    activations: ['tanh', 'sigmoid'],
    learningRate: 1,
    batchSize: 4,
    normalize: false,
  },
  'worked-example': {
    hidden: [2],
    activations: ['sigmoid', 'sigmoid'],
    learningRate: 0.5,
    batchSize: 1,
    normalize: false,
  },
  sine: {
    hidden: [10],
    activations: ['tanh', 'linear'],
    learningRate: 0.1,
    batchSize: 10,
    normalize: true,
  },
  // The plane data sets start as TensorFlow Playground does: tanh throughout (labels −1 / +1),
  // raw inputs in ±6; the spiral needs more units to have a chance.
  circle: PLANE_START,
  quadrants: PLANE_START,
  gaussians: PLANE_START,
  spiral: { ...PLANE_START, hidden: [8, 8], activations: ['tanh', 'tanh', 'tanh'] },
  plane: PLANE_START,
  'gaussian-mix': PLANE_START,
  csv: {
    hidden: [8],
    activations: ['tanh', 'linear'],
    learningRate: 0.05,
    batchSize: 16,
    normalize: true,
  },
};

/**
 * Sensible defaults for a dataset id. Any id that is not a built-in (an uploaded CSV)
 * gets the generic regression defaults. Returns a fresh object the caller may change.
 */
export function suggestedNetwork(id: string): SuggestedNetwork {
  const s = Object.hasOwn(SUGGESTIONS, id) ? SUGGESTIONS[id as BuiltinDatasetId] : SUGGESTIONS.csv;
  return { ...s, hidden: [...s.hidden], activations: [...s.activations] };
}
