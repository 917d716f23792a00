/**
 * Realistic SessionStates for screenshots, the dev page, the app shell and e2e tests.
 * They are computed, not typed in: the shared kernel trains and the shared reducer applies
 * the same events the server would send, so every number is one a class would see.
 *
 * - workedExampleState(n): Mazur's 2-2-2 worked example, a staged step with n stages run
 *   (0 = just opened … 6 = updated). The default, 4, is mid-step: forward pass, error
 *   and the output layer's backward pass are done; the hidden layer's is next.
 * - housesState(): the houses dataset after 300 steps (batch 16, a learning-rate change
 *   at step 150), with its last whole step's trace, loss history and fit.
 * - divergedState(): housesState() after a refused step at a far too large rate.
 */
import {
  builtinDataset,
  denormalizeTarget,
  fitNormalizer,
  normalizeDataset,
  splitTrainTest,
  type Dataset,
} from '@backprop/shared/data';
import {
  Trainer,
  initNetwork,
  networkFromArrays,
  networkToArrays,
  stagesOf,
  type Network,
  type NetworkSpec,
  type Regularization,
  type Stage,
} from '@backprop/shared/nn';
import {
  applyEvent,
  completedTraceView,
  INITIAL_CLASS_VIEW,
  initialParticipationState,
  openedTraceView,
  stagePatchView,
  type LossPoint,
  type SessionEvent,
  type SessionEventBody,
  type SessionState,
  type StagePatch,
  type TrainingSetup,
} from '@backprop/shared/session';

const CREATED_AT = Date.UTC(2025, 2, 17, 9, 0, 0);

/** Mazur's starting network: w1…w8 and the biases b1 = 0.35, b2 = 0.60 (frozen). */
const WORKED_WEIGHTS = [
  [
    [0.15, 0.2],
    [0.25, 0.3],
  ],
  [
    [0.4, 0.45],
    [0.5, 0.55],
  ],
];
const WORKED_BIASES = [
  [0.35, 0.35],
  [0.6, 0.6],
];

function baseState(
  setup: TrainingSetup,
  network: Network,
  learningRate: number,
  batchSize: number,
): SessionState {
  return {
    seq: 0,
    code: 'K7M4QX',
    title: 'Backprop, step by step',
    createdAt: CREATED_AT,
    ended: false,
    locked: false,
    hostConnected: true,
    participants: [
      { id: 'p1', name: 'Ada', connected: true },
      { id: 'p2', name: 'Grace', connected: true },
      { id: 'p3', name: 'Alan', connected: false },
    ],
    setup,
    hyper: { learningRate, batchSize, speed: 5 },
    network: networkToArrays(network),
    step: 0,
    epoch: 0,
    playing: false,
    stageIndex: 0,
    lastStage: null,
    trace: null,
    sample: null,
    loss: [],
    rateMarks: [{ step: 0, learningRate }],
    fit: null,
    diverged: null,
    participation: initialParticipationState(),
    classView: INITIAL_CLASS_VIEW,
  };
}

function setupOf(
  dataset: Dataset,
  spec: NetworkSpec,
  split: { train: number; test: number },
  normalize: boolean,
): TrainingSetup {
  return {
    datasetId: dataset.id,
    datasetTitle: dataset.title,
    datasetDescription: dataset.description,
    inputs: dataset.inputs,
    targets: dataset.targets,
    rows: dataset.rows,
    trainRows: split.train,
    testRows: split.test,
    normalize,
    testFraction: split.test / dataset.rows,
    layers: spec.layers,
    activations: spec.activations,
    trainBiases: spec.trainBiases,
    seed: 1,
  };
}

/** Applies event bodies in order, numbering them like the server's log. */
function play(state: SessionState, bodies: SessionEventBody[]): SessionState {
  return bodies.reduce((current, body, k) => {
    const event = { ...body, seq: current.seq + 1, t: CREATED_AT + (k + 1) * 1000 } as SessionEvent;
    return applyEvent(current, event);
  }, state);
}

// --- the worked example ---

/** Mazur's network, staged: `stagesRun` of its 6 stages have run (clamped to 0…6). */
export function workedExampleState(
  stagesRun = 4,
  regularization: Regularization | null = null,
): SessionState {
  const dataset = builtinDataset('worked-example');
  const spec: NetworkSpec = {
    layers: [2, 2, 2],
    activations: ['sigmoid', 'sigmoid'],
    trainBiases: false,
  };
  const network = networkFromArrays(spec, WORKED_WEIGHTS, WORKED_BIASES);
  const learningRate = 0.5;
  let state = baseState(
    setupOf(dataset, spec, { train: 1, test: 0 }, false),
    network,
    learningRate,
    1,
  );
  state = { ...state, fit: { rows: [0], actual: [0.01], predicted: [0.75136507] } };
  if (regularization) state = { ...state, setup: { ...state.setup, regularization } };

  const trainer = new Trainer(network, 1);
  trainer.regularization = regularization;
  trainer.begin(dataset.x, dataset.y, 1, learningRate);
  const sample = { row: 0, inputs: [0.05, 0.1], targets: [0.01, 0.99], prediction: null };
  const events: SessionEventBody[] = [
    { type: 'staged-step-opened', trace: openedTraceView(trainer.trace, spec.layers), sample },
  ];
  const stages = stagesOf(spec);
  const count = Math.max(0, Math.min(stages.length, Math.floor(stagesRun)));
  for (let index = 0; index < count; index++) {
    const stage = trainer.runStage()!;
    events.push({ type: 'stage-ran', index, stage, patch: stagePatch(stage, trainer) });
  }
  return play(state, events);
}

/**
 * What a stage computed, as the server reports it. `toDataUnits` turns the network's
 * outputs into the data's units (identity without normalization).
 */
function stagePatch(
  stage: Stage,
  trainer: Trainer,
  toDataUnits: (output: number[]) => number[] = (output) => output,
): StagePatch {
  const { trace } = trainer;
  if (stage.kind !== 'update') {
    return stagePatchView(stage, trace, trainer.network.spec.layers, toDataUnits);
  }
  return {
    kind: 'update',
    progress: {
      step: 1,
      epoch: 1,
      network: networkToArrays(trainer.network),
      loss: [{ step: 1, train: trace.loss, test: null }],
      fit: { rows: [0], actual: [0.01], predicted: [trace.a[2]![0]!] },
    },
  };
}

// --- houses: a regression in dollars, trained for a while ---

/**
 * The houses dataset prepared as the server does (seeded 80/20 split, z-scores fitted on
 * the training rows) and a 3-4-1 network (tanh, linear) trained in batches of 16.
 */
class HousesRun {
  readonly raw = builtinDataset('houses');
  readonly split = splitTrainTest(this.raw.rows, 0.2, 1);
  readonly normalizer = fitNormalizer(this.raw, this.split.train);
  readonly data = normalizeDataset(this.raw, this.normalizer);
  readonly spec: NetworkSpec = {
    layers: [3, 4, 1],
    activations: ['tanh', 'linear'],
    trainBiases: true,
  };
  readonly batchSize = 16;
  readonly trainer = new Trainer(initNetwork(this.spec, 1), this.batchSize);
  readonly trainX = this.take(this.split.train, this.data.x, 3);
  readonly trainY = this.take(this.split.train, this.data.y, 1);
  readonly testX = this.take(this.split.test, this.data.x, 3);
  readonly testY = this.take(this.split.test, this.data.y, 1);
  readonly batchesPerEpoch = Math.ceil(this.split.train.length / this.batchSize);
  state: SessionState;
  step = 0;
  private start = 0;
  /** Dataset row of the first sample of the last batch (the shown sample). */
  shownRow = 0;

  constructor(learningRate: number) {
    const setup = setupOf(
      this.raw,
      this.spec,
      { train: this.split.train.length, test: this.split.test.length },
      true,
    );
    this.state = baseState(setup, this.trainer.network, learningRate, this.batchSize);
  }

  private take(rows: ArrayLike<number>, source: Float64Array, width: number): Float64Array {
    const out = new Float64Array(rows.length * width);
    for (let k = 0; k < rows.length; k++) {
      out.set(source.subarray(rows[k]! * width, (rows[k]! + 1) * width), k * width);
    }
    return out;
  }

  dollars = (output: number[]): number[] =>
    output.map((v, k) => denormalizeTarget(this.normalizer, k, v));

  /** Begins a step on the next batch (the kernel's staged API); returns its size. */
  begin(learningRate: number): number {
    const count = Math.min(this.batchSize, this.split.train.length - this.start);
    this.shownRow = this.split.train[this.start]!;
    this.trainer.begin(
      this.trainX.subarray(this.start * 3),
      this.trainY.subarray(this.start),
      count,
      learningRate,
    );
    return count;
  }

  /** After an accepted step: move on to the next batch and count the step. */
  accept(): LossPoint {
    const train = this.split.train.length;
    this.start = this.start + this.batchSize >= train ? 0 : this.start + this.batchSize;
    this.step++;
    return {
      step: this.step,
      train: this.trainer.evaluateLoss(this.trainX, this.trainY, train),
      test: this.trainer.evaluateLoss(this.testX, this.testY, this.split.test.length),
    };
  }

  progress(loss: LossPoint[]) {
    return {
      step: this.step,
      epoch: Math.floor(this.step / this.batchesPerEpoch),
      network: networkToArrays(this.trainer.network),
      loss,
      fit: this.fit(),
    };
  }

  sample(prediction: number[] | null) {
    const r = this.shownRow;
    return {
      row: r,
      inputs: Array.from(this.raw.x.subarray(r * 3, r * 3 + 3)),
      targets: [this.raw.y[r]!],
      prediction,
    };
  }

  fit() {
    const out = new Float64Array(1);
    const rows = Array.from(this.split.test);
    return {
      rows,
      actual: rows.map((r) => this.raw.y[r]!),
      predicted: rows.map((r) => {
        this.trainer.predict(this.data.x.subarray(r * 3, r * 3 + 3), out);
        return denormalizeTarget(this.normalizer, 0, out[0]!);
      }),
    };
  }

  play(bodies: SessionEventBody[]) {
    this.state = play(this.state, bodies);
  }
}

/** 300 steps: 150 at α = 0.05, a pause to raise α to 0.1, 150 more; the last with its trace. */
function trainHouses(): HousesRun {
  const run = new HousesRun(0.05);
  let learningRate = 0.05;
  let loss: LossPoint[] = [];
  for (let step = 1; step <= 300; step++) {
    if (step === 151) {
      // As in class: play for a while, pause, raise the rate (a mark on the loss chart).
      learningRate = 0.1;
      run.play([
        { type: 'progressed', progress: run.progress(loss) },
        { type: 'hyper-changed', hyper: { learningRate, batchSize: run.batchSize, speed: 5 } },
      ]);
      loss = [];
    }
    run.begin(learningRate);
    while (run.trainer.runStage() !== null);
    loss.push(run.accept());
    if (step === 300) {
      const { trace } = run.trainer;
      run.play([
        {
          type: 'stepped',
          trace: completedTraceView(trace, run.spec.layers),
          sample: run.sample(run.dollars([trace.a[2]![0]!])),
          progress: run.progress(loss),
        },
      ]);
    }
  }
  return run;
}

/** Houses, 3-4-1 (tanh, linear), normalized, batch 16: 300 steps, α 0.05 then 0.1. */
export function housesState(): SessionState {
  return trainHouses().state;
}

/**
 * housesState() with α raised to 3, far past what this network tolerates: the loss
 * oscillates and grows for a few dozen steps until the kernel refuses a staged step's
 * update (a weight past ±10⁶). Training paused, `diverged` set, the refused step's trace
 * shown (every stage but the update).
 */
export function divergedState(): SessionState {
  const run = trainHouses();
  const learningRate = 3;
  run.play([
    { type: 'hyper-changed', hyper: { ...run.state.hyper, learningRate } },
    { type: 'play-changed', playing: true },
  ]);
  const loss: LossPoint[] = [];
  for (let attempt = 0; attempt < 10_000; attempt++) {
    run.begin(learningRate);
    const patches: SessionEventBody[] = [];
    for (let index = 0; index < run.trainer.stages.length; index++) {
      const stage = run.trainer.runStage()!;
      if (stage.kind !== 'update') {
        patches.push({
          type: 'stage-ran',
          index,
          stage,
          patch: stagePatch(stage, run.trainer, run.dollars),
        });
      }
    }
    const outcome = run.trainer.lastOutcome!;
    if (outcome.ok) {
      loss.push(run.accept());
      continue;
    }
    // The refused step, as a class stepping through it by stages would have seen it.
    run.play([
      { type: 'progressed', progress: run.progress(loss) },
      { type: 'play-changed', playing: false },
      {
        type: 'staged-step-opened',
        trace: openedTraceView(run.trainer.trace, run.spec.layers),
        sample: run.sample(null),
      },
      ...patches,
      {
        type: 'diverged',
        divergence: { step: run.step + 1, learningRate, reason: outcome.reason },
      },
    ]);
    return run.state;
  }
  throw new Error('divergedState: training at α = 3 never diverged');
}

/**
 * A network too large to label (12-16-16-2, 480 weights), freshly initialized, no step
 * yet: for checking that the diagram stays readable and fits a phone.
 */
export function wideState(): SessionState {
  const spec: NetworkSpec = {
    layers: [12, 16, 16, 2],
    activations: ['relu', 'relu', 'linear'],
    trainBiases: true,
  };
  const column = (name: string) => ({ name, format: 'number' as const });
  const dataset = {
    id: 'csv',
    title: 'Uploaded table',
    description: 'A CSV file with twelve measurements and two targets.',
    inputs: Array.from({ length: 12 }, (_, k) => column(`sensor ${k + 1}`)),
    targets: [column('yield'), column('quality score')],
    rows: 500,
    x: new Float64Array(0),
    y: new Float64Array(0),
  };
  const setup = setupOf(dataset, spec, { train: 400, test: 100 }, true);
  return baseState(setup, initNetwork(spec, 7), 0.01, 32);
}
