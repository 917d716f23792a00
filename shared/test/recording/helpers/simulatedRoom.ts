/**
 * A stand-in for the server's Room, for recording tests: it drives the real kernel
 * (Trainer, initNetwork, builtinDataset) and records events with the shapes the server
 * produces, without any server code. Deliberately simpler than server/src/training: no
 * normalization and no test split, so it does not re-implement the server's data
 * preparation; what matters here is that every event is a genuine SessionEvent with
 * numbers computed by the kernel.
 */
import { builtinDataset, type BuiltinDatasetId, type Dataset } from '../../../src/data';
import {
  gatherBatch,
  initNetwork,
  networkToArrays,
  SampleOrder,
  stagesOf,
  Trainer,
  type ActivationName,
  type NetworkSpec,
  type Trace,
} from '../../../src/nn';
import {
  applyEvent,
  compactNumbers,
  compactNumber,
  compactParams,
  INITIAL_CLASS_VIEW,
  initialParticipationState,
  MAX_FIT_ROWS,
  type FitView,
  type Hyperparameters,
  type NetworkValues,
  type SampleView,
  type SessionEvent,
  type SessionEventBody,
  type SessionState,
  type StepProgress,
  type TraceView,
  type TrainingSetup,
} from '../../../src/session';

const MAX_BATCH = 256;

export interface SetupChoice {
  datasetId: BuiltinDatasetId;
  hidden: number[];
  activations: ActivationName[];
  seed: number;
  trainBiases?: boolean;
}

/** A pretend clock: each tick is 0–49 ms after the last (0 happens: equal times are legal). */
export class SteppingClock {
  constructor(
    private now: number,
    private readonly next: () => number,
  ) {}
  tick(): number {
    this.now += Math.floor(this.next() * 50);
    return this.now;
  }
}

export class SimulatedRoom {
  state: SessionState;
  readonly events: SessionEvent[] = [];
  readonly initial: SessionState;
  private dataset!: Dataset;
  private spec!: NetworkSpec;
  private trainer!: Trainer;
  private order!: SampleOrder;
  private rows = new Uint32Array(MAX_BATCH);
  private x = new Float64Array(0);
  private y = new Float64Array(0);
  private nextParticipant = 1;
  /** Accepted steps since the last setup or reset. */
  private steps = 0;

  constructor(
    private readonly clock: SteppingClock,
    choice: SetupChoice,
    options: { code?: string; title?: string } = {},
  ) {
    const setup = this.prepare(choice);
    const hyper: Hyperparameters = { learningRate: 0.5, batchSize: 2, speed: 10 };
    this.state = {
      // Mirrors server/src/room/initial-state.ts: the host is connected, nobody else yet.
      seq: 0,
      code: options.code ?? 'ABCDEF',
      title: options.title ?? 'Backprop Live session',
      createdAt: clock.tick(),
      ended: false,
      locked: false,
      hostConnected: true,
      participants: [],
      setup,
      hyper,
      network: this.network(),
      step: 0,
      epoch: 0,
      playing: false,
      stageIndex: 0,
      lastStage: null,
      trace: null,
      sample: null,
      loss: [],
      rateMarks: [{ step: 0, learningRate: hyper.learningRate }],
      fit: this.fit(),
      diverged: null,
      participation: initialParticipationState(),
      classView: INITIAL_CLASS_VIEW,
    };
    this.initial = this.state;
  }

  record(body: SessionEventBody): SessionEvent {
    const event = { ...body, seq: this.state.seq + 1, t: this.clock.tick() } as SessionEvent;
    this.events.push(event);
    this.state = applyEvent(this.state, event);
    return event;
  }

  join(name: string): string {
    const id = `p${String(this.nextParticipant++).padStart(11, '0')}`;
    this.record({ type: 'participant-joined', participant: { id, name, connected: true } });
    return id;
  }

  setup(choice: SetupChoice, hyper: Hyperparameters): void {
    const setup = this.prepare(choice);
    this.record({ type: 'setup-changed', setup, hyper, network: this.network(), fit: this.fit() });
  }

  hyper(change: Partial<Hyperparameters>): void {
    this.record({ type: 'hyper-changed', hyper: { ...this.state.hyper, ...change } });
  }

  reset(): void {
    const initial = initNetwork(this.spec, this.state.setup.seed);
    initial.weights.forEach((w, l) => this.trainer.network.weights[l]!.set(w));
    initial.biases.forEach((b, l) => this.trainer.network.biases[l]!.set(b));
    this.order = new SampleOrder(this.dataset.rows, this.state.setup.seed);
    this.steps = 0;
    this.record({ type: 'reset', network: this.network(), fit: this.fit() });
  }

  editWeight(layer: number, to: number, from: number, value: number): void {
    const cols = this.spec.layers[layer]!;
    this.trainer.network.weights[layer]![to * cols + from] = value;
    this.record({ type: 'weight-edited', layer, to, from, value, fit: this.fit() });
  }

  /** One whole step: 'stepped', or 'diverged' when the kernel refuses the update. */
  step(): void {
    const rowId = this.begin();
    while (this.trainer.nextStage) this.trainer.runStage();
    const outcome = this.trainer.lastOutcome!;
    if (!outcome.ok) return this.diverge(outcome.reason);
    const trace = this.traceView(this.trainer.trace, true);
    this.record({
      type: 'stepped',
      trace,
      sample: this.sample(rowId, trace.a.at(-1)!),
      progress: this.accepted(1, outcome.loss),
    });
  }

  /** A staged step: 'staged-step-opened', then one 'stage-ran' per stage. */
  stagedStep(): void {
    const rowId = this.begin();
    this.record({
      type: 'staged-step-opened',
      trace: this.traceView(this.trainer.trace, false),
      sample: this.sample(rowId, null),
    });
    const L = this.spec.layers.length - 1;
    const t = this.trainer.trace;
    const row0 = (values: Float64Array, units: number) => Array.from(values.subarray(0, units));
    for (const [index, stage] of stagesOf(this.spec).entries()) {
      this.trainer.runStage();
      const layers = this.spec.layers;
      switch (stage.kind) {
        case 'forward':
          this.record({
            type: 'stage-ran',
            index,
            stage,
            patch: {
              kind: 'forward',
              layer: stage.layer,
              z: row0(t.z[stage.layer]!, layers[stage.layer + 1]!),
              a: row0(t.a[stage.layer + 1]!, layers[stage.layer + 1]!),
            },
          });
          break;
        case 'error':
          this.record({
            type: 'stage-ran',
            index,
            stage,
            patch: {
              kind: 'error',
              error: row0(t.error, layers[L]!),
              sampleLoss: t.sampleLoss[0]!,
              batchLoss: t.loss,
              prediction: row0(t.a[L]!, layers[L]!),
            },
          });
          break;
        case 'backward':
          this.record({
            type: 'stage-ran',
            index,
            stage,
            patch: {
              kind: 'backward',
              layer: stage.layer,
              delta: row0(t.delta[stage.layer]!, layers[stage.layer + 1]!),
              gradWeights: matrix(
                t.gradWeights[stage.layer]!,
                layers[stage.layer + 1]!,
                layers[stage.layer]!,
              ),
              gradBiases: Array.from(t.gradBiases[stage.layer]!),
            },
          });
          break;
        case 'update': {
          const outcome = this.trainer.lastOutcome!;
          if (!outcome.ok) return this.diverge(outcome.reason);
          this.record({
            type: 'stage-ran',
            index,
            stage,
            patch: { kind: 'update', progress: this.accepted(1, outcome.loss) },
          });
        }
      }
    }
  }

  /** Up to `steps` steps without traces (a play frame or an epoch): one 'progressed'. */
  play(steps: number): void {
    let done = 0;
    let lossSum = 0;
    for (; done < steps; done++) {
      this.begin();
      while (this.trainer.nextStage) this.trainer.runStage();
      const outcome = this.trainer.lastOutcome!;
      if (!outcome.ok) {
        if (done > 0) this.record({ type: 'progressed', progress: this.accepted(done, lossSum) });
        return this.diverge(outcome.reason);
      }
      lossSum += outcome.loss;
    }
    this.record({ type: 'progressed', progress: this.accepted(done, lossSum) });
  }

  /** Up to `steps` steps of continuous play: one compact 'frame' (with the fit's predictions). */
  frame(steps: number): void {
    let lossSum = 0;
    for (let done = 0; done < steps; done++) {
      this.begin();
      while (this.trainer.nextStage) this.trainer.runStage();
      const outcome = this.trainer.lastOutcome!;
      if (!outcome.ok) throw new Error('SimulatedRoom.frame: keep frames to converging settings');
      lossSum += outcome.loss;
    }
    this.steps += steps;
    this.record({
      type: 'frame',
      step: this.steps,
      epoch: this.order.epoch,
      params: compactParams(this.network()),
      loss: compactNumber(lossSum / steps),
      test: null,
      fit: compactNumbers(this.fit().predicted),
    });
  }

  /** The exact network and fit after frames, as the server records when play stops. */
  settle(): void {
    const progress = { ...this.accepted(0, 0), loss: [] };
    this.record({ type: 'progressed', progress });
  }

  /** Counts `steps` accepted steps; their mean loss is the one new loss point. */
  private accepted(steps: number, lossSum: number): StepProgress {
    this.steps += steps;
    return {
      step: this.steps,
      epoch: this.order.epoch,
      network: this.network(),
      loss: [{ step: this.steps, train: lossSum / steps, test: null }],
      fit: this.fit(),
    };
  }

  private diverge(reason: string): void {
    this.record({
      type: 'diverged',
      divergence: {
        step: this.steps + 1,
        learningRate: this.state.hyper.learningRate,
        reason: `the kernel refused the update (${reason})`,
      },
    });
  }

  private prepare(choice: SetupChoice): TrainingSetup {
    this.dataset = builtinDataset(choice.datasetId);
    const ds = this.dataset;
    this.spec = {
      layers: [ds.inputs.length, ...choice.hidden, ds.targets.length],
      activations: choice.activations,
      trainBiases: choice.trainBiases ?? true,
    };
    this.trainer = new Trainer(initNetwork(this.spec, choice.seed), MAX_BATCH);
    this.order = new SampleOrder(ds.rows, choice.seed);
    this.x = new Float64Array(MAX_BATCH * ds.inputs.length);
    this.y = new Float64Array(MAX_BATCH * ds.targets.length);
    this.steps = 0;
    return {
      datasetId: ds.id,
      datasetTitle: ds.title,
      datasetDescription: ds.description,
      inputs: ds.inputs,
      targets: ds.targets,
      rows: ds.rows,
      trainRows: ds.rows,
      testRows: 0,
      normalize: false,
      testFraction: 0,
      layers: [...this.spec.layers],
      activations: [...this.spec.activations],
      trainBiases: this.spec.trainBiases,
      seed: choice.seed,
    };
  }

  /** Begins a step on the next batch; returns the dataset row of its first sample. */
  private begin(): number {
    const ds = this.dataset;
    const { batchSize, learningRate } = this.state.hyper;
    const count = this.order.nextBatch(Math.min(batchSize, ds.rows), this.rows);
    gatherBatch(ds.x, ds.inputs.length, this.rows, count, this.x);
    gatherBatch(ds.y, ds.targets.length, this.rows, count, this.y);
    this.trainer.begin(this.x, this.y, count, learningRate);
    return this.rows[0]!;
  }

  private network(): NetworkValues {
    return networkToArrays(this.trainer.network);
  }

  private fit(): FitView {
    const ds = this.dataset;
    const rows = Array.from({ length: Math.min(ds.rows, MAX_FIT_ROWS) }, (_, k) => k);
    const out = new Float64Array(ds.targets.length);
    const predicted = rows.map((r) => {
      this.trainer.predict(ds.x.subarray(r * ds.inputs.length), out);
      return out[0]!;
    });
    return { rows, actual: rows.map((r) => ds.y[r * ds.targets.length]!), predicted };
  }

  private sample(rowId: number, prediction: number[] | null): SampleView {
    const ds = this.dataset;
    const slice = (values: Float64Array, width: number) =>
      Array.from(values.subarray(rowId * width, (rowId + 1) * width));
    return {
      row: rowId,
      inputs: slice(ds.x, ds.inputs.length),
      targets: slice(ds.y, ds.targets.length),
      prediction,
    };
  }

  /** The kernel trace as the protocol's view; `complete` fills every stage's values. */
  private traceView(t: Trace, complete: boolean): TraceView {
    const layers = this.spec.layers;
    const L = layers.length - 1;
    const row0 = (values: Float64Array, units: number) => Array.from(values.subarray(0, units));
    const none = () => Array.from({ length: L }, () => null);
    const weights = (list: Float64Array[]) =>
      list.map((m, l) => matrix(m, layers[l + 1]!, layers[l]!));
    const batch = (values: Float64Array, units: number) =>
      Array.from({ length: t.batchSize }, (_, s) =>
        Array.from(values.subarray(s * units, (s + 1) * units)),
      );
    return {
      batchSize: t.batchSize,
      learningRate: t.learningRate,
      a: complete
        ? t.a.map((values, l) => row0(values, layers[l]!))
        : [row0(t.a[0]!, layers[0]!), ...none()],
      z: complete ? t.z.map((values, l) => row0(values, layers[l + 1]!)) : none(),
      target: row0(t.target, layers[L]!),
      error: complete ? row0(t.error, layers[L]!) : null,
      sampleLoss: complete ? t.sampleLoss[0]! : null,
      batchLoss: complete ? t.loss : null,
      delta: complete ? t.delta.map((values, l) => row0(values, layers[l + 1]!)) : none(),
      gradWeights: complete ? weights(t.gradWeights) : none(),
      gradBiases: complete ? t.gradBiases.map((b) => Array.from(b)) : none(),
      weightsBefore: weights(t.weightsBefore),
      biasesBefore: t.biasesBefore.map((b) => Array.from(b)),
      weightsAfter: complete ? weights(t.weightsAfter) : null,
      biasesAfter: complete ? t.biasesAfter.map((b) => Array.from(b)) : null,
      batchInputs: batch(t.a[0]!, layers[0]!),
      batchTargets: batch(t.target, layers[L]!),
    };
  }
}

function matrix(values: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, j) =>
    Array.from(values.subarray(j * cols, (j + 1) * cols)),
  );
}
