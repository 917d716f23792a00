/**
 * One room's training run: the prepared data, the network and its kernel Trainer, the
 * sample order. Pure computation (no I/O, no clock): it answers in protocol views, and
 * the room turns those into events.
 */
import {
  isClassification,
  isPlaneDatasetId,
  WORKED_EXAMPLE_NETWORK,
  type Dataset,
  type PlaneSetup,
} from '@backprop/shared/data';
import {
  cloneNetwork,
  copyNetworkInto,
  findSpecProblem,
  formatProblem,
  gatherBatch,
  initNetwork,
  networkFromArrays,
  regularizationPenalty,
  SampleOrder,
  Trainer,
  type ActivationName,
  type Network,
  type NetworkSpec,
  type Regularization,
  type Stage,
  type Trace,
} from '@backprop/shared/nn';
import { LIMITS } from '@backprop/shared/protocol';
import {
  completedTraceView,
  openedTraceView,
  type Accuracy,
  type Divergence,
  type FitView,
  type LossPoint,
  type NetworkValues,
  type SampleView,
  type StagePatch,
  type StepProgress,
  type TraceView,
  type TrainingSetup,
} from '@backprop/shared/session';
import { accuracyOf } from './accuracy';
import { checkBeforeUpdate, refusedUpdate } from './divergence';
import { prepareData, type PreparedData } from './prepared-data';
import { SetupError } from './setup-error';
import { fitView, networkValues, sampleView, shownPrediction, stagePatch } from './views';

/** What the host chooses in host:setup (the datasetId decides which Dataset is passed). */
export interface SetupChoice {
  datasetId: string;
  hidden: number[];
  activations: ActivationName[];
  trainBiases: boolean;
  /** Weights, sample order and split. */
  seed: number;
  /** The seed the built-in dataset was generated from (the caller generated it). */
  dataSeed: number;
  normalize: boolean;
  testFraction: number;
  /** Plane data sets only (the caller generated the points from it). */
  plane?: PlaneSetup | undefined;
  /** Absent: none. */
  regularization?: Regularization | undefined;
}

export type StageOutcome =
  | { kind: 'ran'; index: number; stage: Stage; patch: StagePatch }
  | { kind: 'diverged'; divergence: Divergence };

export type StepOutcome =
  | { kind: 'stepped'; trace: TraceView; sample: SampleView; progress: StepProgress }
  | { kind: 'diverged'; divergence: Divergence };

/** Training.position(): everything that decides the next steps of a run (see there). */
export interface TrainingPosition {
  steps: number;
  firstLoss: number | null;
  /** The sample order's epoch and the rows of it served so far. */
  epoch: number;
  rowsServed: number;
  /** Full precision (the JSON of a double reads back the same double). */
  network: NetworkValues;
}

/** What a run of many steps (a play frame, an epoch) did. */
export interface RunOutcome {
  steps: number;
  /** Sum of the accepted steps' batch losses (after the carried sum, if any). */
  lossSum: number;
  divergence: Divergence | null;
}

export class Training {
  readonly setup: TrainingSetup;
  readonly data: PreparedData;
  private readonly initial: Network;
  private readonly trainer: Trainer;
  private order: SampleOrder;
  private steps = 0;
  /** The loss of the first step since the start: the yardstick for "exploding". */
  private firstLoss: number | null = null;
  /** A staged step is in progress (opened, its update not yet run). */
  private staged = false;
  /** The sample order's epoch before the last batch was drawn. */
  private epochAtDraw = 0;
  /**
   * After a refused step: the epoch before its batch was drawn. The batch stays drawn (the
   * next step takes the rows after it, as a re-simulation does), but a refused step is not
   * counted: until the next step, the epoch shown is the one of the accepted steps, even
   * when the refused batch was an epoch's last (a 'progressed' recorded with the drawn
   * epoch did not verify).
   */
  private refusedEpoch: number | null = null;
  private readonly regularization: Regularization | null;
  /** The output activation, for a classification plane data set (accuracy); else null. */
  private readonly classesBy: ActivationName | null;
  private readonly batchRows = new Uint32Array(LIMITS.maxBatchSize);
  private readonly batchX: Float64Array;
  private readonly batchY: Float64Array;

  /** Throws SetupError with a readable message when the choice cannot be trained. */
  constructor(choice: SetupChoice, dataset: Dataset) {
    // A setup has plane options exactly when its data set is a plane one (the recording
    // schema holds it to that): an uploaded CSV file with noise and features is refused.
    if ((choice.plane !== undefined) !== isPlaneDatasetId(choice.datasetId)) {
      throw new SetupError(
        choice.plane
          ? 'only the plane data sets take noise, points and features'
          : `the ${choice.datasetId} data set needs its noise, number of points and features`,
      );
    }
    const spec = specFor(choice, dataset);
    // Plane data are drawn on the raw plane and never normalized (docs/playground.md).
    const normalize = choice.plane ? false : choice.normalize;
    this.data = prepareData(dataset, { ...choice, normalize });
    this.initial = initialNetwork(spec, choice.seed, choice.datasetId);
    this.trainer = new Trainer(cloneNetwork(this.initial), LIMITS.maxBatchSize);
    this.regularization = choice.regularization ?? null;
    this.trainer.regularization = this.regularization;
    this.classesBy =
      choice.plane && isClassification(choice.datasetId) ? spec.activations.at(-1)! : null;
    this.order = new SampleOrder(this.data.train.rows, choice.seed);
    this.batchX = new Float64Array(LIMITS.maxBatchSize * dataset.inputs.length);
    this.batchY = new Float64Array(LIMITS.maxBatchSize * dataset.targets.length);
    this.setup = {
      datasetId: choice.datasetId,
      datasetTitle: dataset.title,
      datasetDescription: dataset.description,
      inputs: dataset.inputs,
      targets: dataset.targets,
      rows: dataset.rows,
      trainRows: this.data.train.rows,
      testRows: this.data.test?.rows ?? 0,
      normalize,
      testFraction: choice.testFraction,
      layers: [...spec.layers],
      activations: [...spec.activations],
      trainBiases: spec.trainBiases,
      seed: choice.seed,
      dataSeed: choice.dataSeed,
      // Only when present: setups without them stay byte for byte as before.
      ...(choice.plane && { plane: copyPlane(choice.plane) }),
      ...(choice.regularization && { regularization: { ...choice.regularization } }),
    };
  }

  get stepCount(): number {
    return this.steps;
  }

  get epoch(): number {
    return this.refusedEpoch ?? this.order.epoch;
  }

  get stagedStepOpen(): boolean {
    return this.staged;
  }

  /** The stage the open staged step runs next; null when no staged step is open. */
  get nextStage(): Stage | null {
    return this.staged ? this.trainer.nextStage : null;
  }

  network(): NetworkValues {
    return networkValues(this.trainer.network);
  }

  fit(): FitView {
    return fitView(this.data, (input, out) => this.trainer.predict(input, out));
  }

  /** Mean loss over the test rows with the current network; null without test rows. */
  testLoss(): number | null {
    const test = this.data.test;
    return test ? this.trainer.evaluateLoss(test.x, test.y, test.rows) : null;
  }

  /** Where training is now, with the given new loss points. */
  progress(loss: LossPoint[]): StepProgress {
    return {
      step: this.steps,
      epoch: this.epoch,
      network: this.network(),
      loss,
      fit: this.fit(),
      ...this.modelStats(),
    };
  }

  /**
   * λ·R(w) of the network now (with a regularization) and its accuracy (on a
   * classification plane data set): the keys are absent otherwise, so that events of other
   * setups are exactly as they were before these existed.
   */
  modelStats(): { penalty?: number; accuracy?: Accuracy } {
    return {
      ...(this.regularization && { penalty: this.penalty(this.trainer.network.weights) }),
      ...(this.classesBy && { accuracy: this.accuracy(this.classesBy) }),
    };
  }

  private penalty(weights: readonly Float64Array[]): number {
    return regularizationPenalty(this.regularization, weights);
  }

  private accuracy(output: ActivationName): Accuracy {
    const predict = (input: Float64Array, out: Float64Array) => this.trainer.predict(input, out);
    return accuracyOf(predict, this.data.train, this.data.test, output);
  }

  /** The trace view with the penalty of its weights before (its E is batchLoss + penalty). */
  private withPenalty(view: TraceView): TraceView {
    if (!this.regularization) return view;
    return { ...view, penalty: this.penalty(this.trainer.trace.weightsBefore) };
  }

  /** Back to the seed's initial weights and sample order. */
  reset(): void {
    copyNetworkInto(this.initial, this.trainer.network);
    this.order = new SampleOrder(this.data.train.rows, this.setup.seed);
    this.steps = 0;
    this.firstLoss = null;
    this.staged = false;
    this.refusedEpoch = null;
  }

  /** Sets one weight; false when (layer, to, from) is not in this network. Ends a staged step. */
  editWeight(layer: number, to: number, from: number, value: number): boolean {
    const { layers } = this.setup;
    const cols = layers[layer];
    const rows = layers[layer + 1];
    if (cols === undefined || rows === undefined || to >= rows || from >= cols) return false;
    this.trainer.network.weights[layer]![to * cols + from] = value;
    this.staged = false;
    return true;
  }

  /**
   * Replaces every weight and bias (a race fork's weights, same architecture). Ends a
   * staged step, like editWeight. The caller passes values of this network's shape.
   */
  setNetwork(values: NetworkValues): void {
    const spec = this.trainer.network.spec;
    copyNetworkInto(networkFromArrays(spec, values.weights, values.biases), this.trainer.network);
    this.staged = false;
  }

  /**
   * What a fork needs to train on exactly as this run would go on: copies of the network
   * and of the sample order (same rows next, same shuffles after), the prepared data, the
   * step count and the yardstick for "exploding".
   */
  forkPoint(): {
    network: Network;
    order: SampleOrder;
    data: PreparedData;
    step: number;
    firstLoss: number | null;
    regularization: Regularization | null;
  } {
    return {
      network: cloneNetwork(this.trainer.network),
      order: this.order.clone(),
      data: this.data,
      step: this.steps,
      firstLoss: this.firstLoss,
      regularization: this.regularization,
    };
  }

  /**
   * Where the run stands, beyond its public state: what a restarted server needs to go on
   * exactly from here (sessions/restore.ts). Null while a staged step is open (its trace
   * is not kept; a restore re-simulates it from an earlier point instead).
   */
  position(): TrainingPosition | null {
    if (this.staged) return null;
    return {
      steps: this.steps,
      firstLoss: this.firstLoss,
      epoch: this.order.epoch,
      rowsServed: this.order.position,
      network: this.network(),
    };
  }

  /**
   * Goes to `position` (taken from a run of this same setup): its weights and counts, and
   * the sample order's place, redrawn from the seed — the same shuffles, epoch after epoch,
   * cheap next to the steps they served.
   */
  resumeAt(position: TrainingPosition): void {
    const { rows } = this.data.train;
    const order = new SampleOrder(rows, this.setup.seed);
    const buffer = new Uint32Array(rows);
    while (order.epoch < position.epoch) order.nextBatch(rows - order.position, buffer);
    if (position.rowsServed > 0) order.nextBatch(position.rowsServed, buffer);
    this.order = order;
    this.setNetwork(position.network);
    this.steps = position.steps;
    this.firstLoss = position.firstLoss;
    this.staged = false;
    this.refusedEpoch = null;
  }

  /**
   * The kernel's trace of the last step (or of the open one): the batch, the weights
   * before and after, the batch loss. Read-only by contract; the next step overwrites it.
   */
  get lastTrace(): Readonly<Trace> {
    return this.trainer.trace;
  }

  /** The mean loss on the last step's batch with the network as it is now (after its update). */
  lossOnLastBatch(): number {
    const { trace } = this.trainer;
    return this.trainer.evaluateLoss(trace.a[0]!, trace.target, trace.batchSize);
  }

  /** Begins a staged step on the next batch; its stages then run one per runStage(). */
  openStagedStep(
    batchSize: number,
    learningRate: number,
  ): { trace: TraceView; sample: SampleView } {
    const rowId = this.beginOnNextBatch(batchSize, learningRate);
    this.staged = true;
    return {
      trace: this.withPenalty(openedTraceView(this.trainer.trace, this.setup.layers)),
      sample: sampleView(this.data, rowId, null),
    };
  }

  /** Runs the next stage of the open staged step (the caller checks stagedStepOpen). */
  runStage(): StageOutcome {
    const { trainer } = this;
    const index = trainer.stageIndex;
    const next = trainer.nextStage;
    if (!this.staged || !next) throw new Error('runStage: no staged step is open');
    if (next.kind !== 'update') {
      trainer.runStage();
      return {
        kind: 'ran',
        index,
        stage: next,
        patch: stagePatch(next, trainer.trace, this.setup.layers, this.data),
      };
    }
    this.staged = false;
    const divergence = this.update();
    if (divergence) return { kind: 'diverged', divergence };
    const progress = this.progress([this.lossPoint(trainer.trace.loss)]);
    return { kind: 'ran', index, stage: next, patch: { kind: 'update', progress } };
  }

  /** One whole step on the next batch, with its full trace. */
  stepWithTrace(batchSize: number, learningRate: number): StepOutcome {
    this.staged = false;
    const rowId = this.beginOnNextBatch(batchSize, learningRate);
    this.runUntilUpdate();
    const { trace } = this.trainer;
    const prediction = shownPrediction(trace, this.setup.layers, this.data);
    const divergence = this.update();
    if (divergence) return { kind: 'diverged', divergence };
    return {
      kind: 'stepped',
      trace: this.withPenalty(completedTraceView(trace, this.setup.layers)),
      sample: sampleView(this.data, rowId, prediction),
      progress: this.progress([this.lossPoint(trace.loss)]),
    };
  }

  /**
   * Up to `maxSteps` steps without traces, stopping early at the end of an epoch (if
   * asked), when `shouldStop()` says so (a time budget), or at a divergence. The losses are
   * added one by one to `carried` (the sum of earlier slices of the same run), so a run in
   * slices sums exactly as one run would: the recorded mean must not depend on timing.
   */
  run(
    batchSize: number,
    learningRate: number,
    limits: { maxSteps: number; untilEpochEnds: boolean; shouldStop: () => boolean },
    carried = 0,
  ): RunOutcome {
    this.staged = false;
    const startEpoch = this.order.epoch;
    let steps = 0;
    let lossSum = carried;
    while (steps < limits.maxSteps && !limits.shouldStop()) {
      if (limits.untilEpochEnds && this.order.epoch !== startEpoch) break;
      this.beginOnNextBatch(batchSize, learningRate);
      this.runUntilUpdate();
      const divergence = this.update();
      if (divergence) return { steps, lossSum, divergence };
      steps++;
      lossSum += this.trainer.trace.loss;
    }
    return { steps, lossSum, divergence: null };
  }

  /** The epoch a run started in has ended (for the epoch granularity). */
  epochEndedSince(epoch: number): boolean {
    return this.order.epoch !== epoch;
  }

  /** A loss point for the current step: `train` as given, test loss now. */
  lossPoint(train: number): LossPoint {
    return { step: this.steps, train, test: this.testLoss(), ...this.modelStats() };
  }

  /** Takes the next batch and begins a step on it; returns the dataset row of sample 0. */
  private beginOnNextBatch(batchSize: number, learningRate: number): number {
    const { train, dataset } = this.data;
    this.epochAtDraw = this.order.epoch;
    this.refusedEpoch = null;
    const count = this.order.nextBatch(Math.min(batchSize, LIMITS.maxBatchSize), this.batchRows);
    gatherBatch(train.x, dataset.inputs.length, this.batchRows, count, this.batchX);
    gatherBatch(train.y, dataset.targets.length, this.batchRows, count, this.batchY);
    this.trainer.begin(this.batchX, this.batchY, count, learningRate);
    return train.rowIds[this.batchRows[0]!]!;
  }

  private runUntilUpdate(): void {
    while (this.trainer.nextStage && this.trainer.nextStage.kind !== 'update')
      this.trainer.runStage();
  }

  /**
   * Runs the update stage unless the step must be refused; returns the divergence when
   * it was. A refused step leaves the network as it was and is not counted.
   */
  private update(): Divergence | null {
    const { trace } = this.trainer;
    const attempted = this.steps + 1;
    if (this.steps === 0 && this.firstLoss === null && Number.isFinite(trace.loss)) {
      this.firstLoss = trace.loss;
    }
    const early = checkBeforeUpdate(trace, this.firstLoss, attempted);
    if (early) {
      // Abandon the step (begin() on the next batch starts over): its update never runs.
      this.refusedEpoch = this.epochAtDraw;
      return early;
    }
    this.trainer.runStage();
    const outcome = this.trainer.lastOutcome;
    if (!outcome || !outcome.ok) {
      this.refusedEpoch = this.epochAtDraw;
      return refusedUpdate(outcome, trace, attempted);
    }
    this.steps = attempted;
    return null;
  }
}

function specFor(choice: SetupChoice, dataset: Dataset): NetworkSpec {
  if (choice.activations.length !== choice.hidden.length + 1) {
    throw new SetupError(
      `activations: expected ${choice.hidden.length + 1} (one per hidden layer and one for the output), got ${choice.activations.length}`,
    );
  }
  const spec: NetworkSpec = {
    layers: [dataset.inputs.length, ...choice.hidden, dataset.targets.length],
    activations: [...choice.activations],
    trainBiases: choice.trainBiases,
  };
  const problem = findSpecProblem(spec);
  if (problem) throw new SetupError(`network: ${formatProblem(problem)}`);
  return spec;
}

/**
 * The seed's random weights, except for the worked example with its own architecture:
 * then Mazur's published starting weights, so every number can be checked against the
 * article (the seed still decides the sample order, which one sample makes moot).
 */
function initialNetwork(spec: NetworkSpec, seed: number, datasetId: string): Network {
  const example = WORKED_EXAMPLE_NETWORK;
  const sameShape =
    datasetId === 'worked-example' &&
    spec.layers.join() === example.layers.join() &&
    spec.activations.join() === example.activations.join();
  if (!sameShape) return initNetwork(spec, seed);
  return networkFromArrays(spec, structuredClone(example.weights), structuredClone(example.biases));
}

function copyPlane(plane: PlaneSetup): PlaneSetup {
  return { noise: plane.noise, points: plane.points, features: [...plane.features] };
}
