import type { ActivationName } from '../nn/activations';
import type { Stage } from '../nn/stages';
import { DEFAULT_DATASET_SEED, type Column } from '../data/dataset';
import type { ParticipationState } from './participation/state';
import type { ClassView } from './class-view';
import type { Regularization } from '../nn/regularization';
import type { PlaneSetup } from '../data/plane/dataset';

/**
 * The public state of a session: everything every client may see. Built only by
 * `applyEvent` (see reducer.ts) from a snapshot plus events, on the server, in every
 * live client and in the replay. Plain JSON: no typed arrays, no non-finite numbers.
 */
export interface SessionState {
  /** seq of the last event applied (0 for a fresh session). */
  seq: number;
  code: string;
  title: string;
  createdAt: number;
  ended: boolean;
  locked: boolean;
  hostConnected: boolean;
  participants: Participant[];
  setup: TrainingSetup;
  hyper: Hyperparameters;
  network: NetworkValues;
  /**
   * The step `network` was computed at, when it is older than `step`: play frames carry the
   * weights only as often as a big network's budget allows (frames.ts), and a client that
   * skipped frames may hold older ones. Absent when `network` is current. A view shows how
   * old the weights are rather than passing them off as current.
   */
  networkStep?: number;
  /** Training steps completed (updates applied) since the last reset or setup. */
  step: number;
  epoch: number;
  playing: boolean;
  /** Index into stagesOf(setup) of the next stage to run; 0 when no staged step is open. */
  stageIndex: number;
  /** The stage that ran last (highlighted in the diagram), or null. */
  lastStage: Stage | null;
  /** The last step's (or the open staged step's) values for the shown sample. */
  trace: TraceView | null;
  /** The shown sample in the data's own units. */
  sample: SampleView | null;
  /**
   * λ·R(w) of `network` (docs/playground.md): the loss with the penalty is the data loss
   * plus this. Absent: 0 (no regularization, or a state recorded before it existed).
   */
  penalty?: number;
  /**
   * Train and test accuracy of `network` (fractions 0 … 1), for classification plane data
   * sets only; absent or null otherwise.
   */
  accuracy?: Accuracy | null;
  /** Loss over steps; thinned (every other point dropped) when it grows past MAX_LOSS_POINTS. */
  loss: LossPoint[];
  /** Learning-rate changes, marked on the loss chart. */
  rateMarks: { step: number; learningRate: number }[];
  /** Predicted vs actual for up to MAX_FIT_ROWS rows, first target column, data's units. */
  fit: FitView | null;
  diverged: Divergence | null;
  /** Proposals, votes, stepping together, quizzes, races (participation/state.ts). */
  participation: ParticipationState;
  /** What the host shows the class: a weight's or unit's inspector, the cards (class-view.ts). */
  classView: ClassView;
}

export interface Participant {
  id: string;
  name: string;
  connected: boolean;
}

export interface TrainingSetup {
  datasetId: string;
  datasetTitle: string;
  datasetDescription: string;
  inputs: Column[];
  targets: Column[];
  rows: number;
  trainRows: number;
  testRows: number;
  normalize: boolean;
  testFraction: number;
  layers: number[];
  activations: ActivationName[];
  trainBiases: boolean;
  /** The weights, the sample order and the test split (docs/resimulation.md). */
  seed: number;
  /**
   * The seed of the built-in data generators (the houses). Absent in recordings made before
   * it existed, which all trained on data seed 1: read it with dataSeedOf.
   */
  dataSeed?: number;
  /**
   * Present iff the data set is a plane data set (docs/playground.md): its noise, number
   * of points and input features. Its points come from `dataSeed`.
   */
  plane?: PlaneSetup;
  /** Absent: none. Applies to weights only, never biases. */
  regularization?: Regularization;
}

/** The setup's data seed; a setup recorded before data seeds existed used DEFAULT_DATASET_SEED. */
export function dataSeedOf(setup: Pick<TrainingSetup, 'dataSeed'>): number {
  return setup.dataSeed ?? DEFAULT_DATASET_SEED;
}

export interface Hyperparameters {
  learningRate: number;
  batchSize: number;
  /** Steps per second while playing. */
  speed: number;
}

/** Weights in the network file's layout: weights[l][j][i] connects unit i of layer l to j of l+1. */
export interface NetworkValues {
  weights: number[][][];
  biases: number[][];
}

/**
 * The values of one step for the shown sample (the first of the batch). Per-layer arrays
 * are filled as stages run: entries are null until their stage has run.
 */
export interface TraceView {
  batchSize: number;
  learningRate: number;
  /** a[0] = input (network units, normalized if the setup normalizes), a[l+1] = f(z[l]). */
  a: (number[] | null)[];
  z: (number[] | null)[];
  target: number[];
  error: number[] | null;
  /** Loss of the shown sample and the batch mean, known after the error stage. */
  sampleLoss: number | null;
  /** The data loss of the batch (without the penalty). */
  batchLoss: number | null;
  /**
   * λ·R(w) of weightsBefore: this step's E is batchLoss + penalty. Absent: 0. gradWeights
   * hold the data part of ∂E/∂w only; the update adds regularizationGradient(w before).
   */
  penalty?: number;
  delta: (number[] | null)[];
  /** Batch-mean gradients, layout of NetworkValues. */
  gradWeights: (number[][] | null)[];
  gradBiases: (number[] | null)[];
  weightsBefore: number[][][];
  biasesBefore: number[][];
  /** Filled by the update stage (or the whole step); null while the step is open or refused. */
  weightsAfter: number[][][] | null;
  biasesAfter: number[][] | null;
  /** The batch (network units) so that a client can plot E(w) around a weight. */
  batchInputs: number[][];
  batchTargets: number[][];
}

export interface SampleView {
  row: number;
  inputs: number[];
  targets: number[];
  /** Prediction before the step's update, in the data's units (null until the forward pass). */
  prediction: number[] | null;
  /**
   * The step this sample belongs to (its prediction is from before that step's update),
   * stamped by the reducer. Absent in states recorded before it existed.
   */
  step?: number;
}

export interface LossPoint {
  step: number;
  /** The data loss: batch mean of ½Σ(ŷ − y)², without the penalty. */
  train: number;
  test: number | null;
  /** λ·R(w) after the point's step(s); absent: 0. Loss with the penalty = train + penalty. */
  penalty?: number;
  /** Classification plane data sets only: accuracy after the point's step(s). */
  accuracy?: Accuracy;
}

/** Fractions of rows whose predicted class is their label (docs/playground.md); test null without test rows. */
export interface Accuracy {
  train: number;
  test: number | null;
}

export interface FitView {
  rows: number[];
  actual: number[];
  predicted: number[];
  /**
   * The step whose weights made these predictions, stamped by the reducer: during play the
   * weights change every frame and the fit at most once a second. Absent in states
   * recorded before it existed.
   */
  step?: number;
}

/** The fit as the state keeps it: with the step whose weights made it (see FitView.step). */
export function fitOfStep(fit: FitView | null, step: number): FitView | null {
  return fit && { ...fit, step };
}

export interface Divergence {
  step: number;
  learningRate: number;
  reason: string;
}

export const MAX_LOSS_POINTS = 2000;
export const MAX_FIT_ROWS = 200;
