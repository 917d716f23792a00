/**
 * The training step: stochastic gradient descent on the mean of ½Σ(ŷ−y)² over a batch,
 * runnable whole (step) or one stage at a time (begin, then runStage). Both paths run the
 * same stage code, so they give bit-identical results. Every buffer is allocated in the
 * constructor; a step allocates nothing (except the outcome of a refused step, which is rare
 * and pauses training).
 */
import { activationCode, type ActivationCode } from './activations';
import { layerViews, parameterCount, validateSpec, weightCount, type Network } from './network';
import {
  forwardLayer,
  halfSquaredError,
  hiddenDelta,
  layerGradients,
  outputDelta,
  outputError,
} from './layerMath';
import { MAX_ABS_PARAMETER } from './networkChecks';
import { stagesOf, type Stage } from './stages';
import { createTrace, type Trace } from './trace';
import type { Regularization } from './regularization';

/**
 * What a step did. `loss` is the batch loss before the update; on a refused step it may be
 * NaN or ±Infinity, which JSON cannot carry (it would become null).
 */
export type StepOutcome =
  | { ok: true; loss: number }
  | {
      ok: false;
      reason: 'non-finite-loss' | 'non-finite-weights' | 'exploding-weights';
      loss: number;
    };

export class Trainer {
  /** Trained in place: the update writes into its weight and bias arrays. */
  readonly network: Network;
  readonly trace: Trace;
  /** The stages of every step of this network, in order. */
  readonly stages: readonly Stage[];
  readonly maxBatch: number;
  /**
   * L1 or L2 on the weights (never the biases), or null for none. Read at each update, like
   * trainBiases. The gradients in the trace stay the data part of ∂E/∂w; the update adds
   * λ·∂R/∂w of the weight before the step (docs/playground.md).
   */
  regularization: Regularization | null = null;

  private readonly layers: readonly number[];
  private readonly codes: readonly ActivationCode[];
  private readonly matrices: number;
  /** Where the biases begin in the flat parameter arrays. */
  private readonly weightCount: number;
  private stageCursor = 0;
  private stepping = false;
  private outcome: StepOutcome | null = null;
  // Reused for every accepted step so that a step allocates nothing.
  private readonly okOutcome: { ok: true; loss: number } = { ok: true, loss: 0 };
  // predict and evaluateLoss work here, one sample at a time, and leave the trace alone.
  private readonly scratchA: Float64Array[];
  private readonly scratchZ: Float64Array[];

  /**
   * Trains `network` (not a copy) on batches of up to `maxBatch` samples. The architecture
   * and activations are read once here: changing them needs a new Trainer. trainBiases is
   * read at each update, so it may be toggled between steps.
   */
  constructor(network: Network, maxBatch: number) {
    validateSpec(network.spec);
    const { layers } = network.spec;
    if (
      network.weights.length !== layers.length - 1 ||
      network.biases.length !== layers.length - 1
    ) {
      throw new Error('Trainer: the number of weight matrices does not match the spec');
    }
    network.weights.forEach((w, l) => {
      if (w.length !== layers[l]! * layers[l + 1]! || network.biases[l]?.length !== layers[l + 1]) {
        throw new Error(`Trainer: weights[${l}] or biases[${l}] do not match the spec`);
      }
    });
    // The update runs over params in one loop: the layers must be exactly its views.
    const { params } = network;
    const layout = layerViews(layers, params);
    const isView = (x: Float64Array, view: Float64Array) =>
      x.buffer === view.buffer && x.byteOffset === view.byteOffset;
    if (
      params.length !== parameterCount(network.spec) ||
      !network.weights.every((w, l) => isView(w, layout.weights[l]!)) ||
      !network.biases.every((b, l) => isView(b, layout.biases[l]!))
    ) {
      throw new Error('Trainer: weights and biases must be views onto params (see Network)');
    }
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new RangeError(`Trainer: maxBatch must be a whole number ≥ 1, got ${maxBatch}`);
    }
    this.network = network;
    this.maxBatch = maxBatch;
    this.layers = [...layers];
    this.codes = network.spec.activations.map(activationCode);
    this.matrices = layers.length - 1;
    this.weightCount = weightCount(layers);
    this.trace = createTrace(network, maxBatch);
    this.stages = stagesOf(network.spec);
    this.scratchA = layers.map((n) => new Float64Array(n));
    this.scratchZ = layers.slice(1).map((n) => new Float64Array(n));
  }

  /** The stage the next runStage() will run; null outside a step. */
  get nextStage(): Stage | null {
    return this.stepping ? this.stages[this.stageCursor]! : null;
  }

  /** How many stages of the current (or last) step have run. */
  get stageIndex(): number {
    return this.stageCursor;
  }

  /** A step has begun and its update has not run yet. */
  get inStep(): boolean {
    return this.stepping;
  }

  /**
   * The outcome of the last completed step, null before the first. An accepted step's
   * outcome object is reused by the next one: read it before stepping again.
   */
  get lastOutcome(): StepOutcome | null {
    return this.outcome;
  }

  /**
   * One whole SGD step on a batch. inputs: batchSize × input units, targets:
   * batchSize × output units, both row-major. Abandons a staged step in progress.
   */
  step(
    inputs: ArrayLike<number>,
    targets: ArrayLike<number>,
    batchSize: number,
    learningRate: number,
  ): StepOutcome {
    this.begin(inputs, targets, batchSize, learningRate);
    // The stages in stagesOf's order, called directly: the same code runStage() runs.
    const last = this.matrices - 1;
    for (let l = 0; l <= last; l++) this.forward(l);
    this.error();
    for (let l = last; l >= 0; l--) this.backward(l);
    this.update();
    this.stepping = false;
    this.stageCursor = this.stages.length;
    return this.outcome!;
  }

  /**
   * Loads a batch and the current parameters into the trace and starts a step; runStage()
   * then runs its stages one by one. Abandons a step in progress (whose update never ran,
   * so the network is untouched).
   */
  begin(
    inputs: ArrayLike<number>,
    targets: ArrayLike<number>,
    batchSize: number,
    learningRate: number,
  ): void {
    const { layers, trace, network } = this;
    const inCount = batchSize * layers[0]!;
    const outCount = batchSize * layers[this.matrices]!;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > this.maxBatch) {
      throw new RangeError(
        `batchSize must be a whole number from 1 to ${this.maxBatch}, got ${batchSize}`,
      );
    }
    if (!Number.isFinite(learningRate)) {
      throw new RangeError(`learningRate must be a finite number, got ${learningRate}`);
    }
    if (inputs.length < inCount || targets.length < outCount) {
      throw new RangeError(
        `a batch of ${batchSize} needs ${inCount} inputs and ${outCount} targets, got ${inputs.length} and ${targets.length}`,
      );
    }
    const a0 = trace.a[0]!;
    for (let k = 0; k < inCount; k++) a0[k] = inputs[k]!;
    for (let k = 0; k < outCount; k++) trace.target[k] = targets[k]!;
    // The whole step works from this copy: every δ uses the weights from before the update.
    trace.paramsBefore.set(network.params);
    trace.batchSize = batchSize;
    trace.learningRate = learningRate;
    trace.diverged = false;
    this.stageCursor = 0;
    this.stepping = true;
  }

  /** Runs the next stage and returns it; null when no step is in progress. */
  runStage(): Stage | null {
    if (!this.stepping) return null;
    const stage = this.stages[this.stageCursor]!;
    switch (stage.kind) {
      case 'forward':
        this.forward(stage.layer);
        break;
      case 'error':
        this.error();
        break;
      case 'backward':
        this.backward(stage.layer);
        break;
      case 'update':
        this.update();
        this.stepping = false;
        break;
    }
    this.stageCursor++;
    return stage;
  }

  private forward(l: number): void {
    const { trace, layers } = this;
    forwardLayer(
      trace.weightsBefore[l]!,
      trace.biasesBefore[l]!,
      this.codes[l]!,
      trace.a[l]!,
      layers[l]!,
      trace.z[l]!,
      trace.a[l + 1]!,
      layers[l + 1]!,
      trace.batchSize,
    );
  }

  private error(): void {
    const { trace } = this;
    const L = this.matrices;
    const rows = trace.batchSize;
    outputError(trace.a[L]!, trace.target, trace.error, trace.sampleLoss, this.layers[L]!, rows);
    let total = 0;
    for (let s = 0; s < rows; s++) total += trace.sampleLoss[s]!;
    trace.loss = total / rows;
  }

  private backward(l: number): void {
    const { trace, layers } = this;
    const rows = trace.batchSize;
    if (l === this.matrices - 1) {
      outputDelta(
        trace.error,
        trace.z[l]!,
        trace.a[l + 1]!,
        this.codes[l]!,
        trace.delta[l]!,
        layers[l + 1]!,
        rows,
      );
    } else {
      hiddenDelta(
        trace.weightsBefore[l + 1]!,
        trace.delta[l + 1]!,
        layers[l + 2]!,
        trace.z[l]!,
        trace.a[l + 1]!,
        this.codes[l]!,
        trace.delta[l]!,
        layers[l + 1]!,
        rows,
      );
    }
    layerGradients(
      trace.delta[l]!,
      layers[l + 1]!,
      trace.a[l]!,
      layers[l]!,
      trace.gradWeights[l]!,
      trace.gradBiases[l]!,
      rows,
    );
  }

  /**
   * w ← w − α·∂E/∂w for every weight (and bias, if trainable), into the trace's "after"
   * arrays, then into the network. If the loss or a new value is not finite, or a |value|
   * exceeds MAX_ABS_PARAMETER, the update is refused and the network keeps its parameters.
   *
   * The loop is here rather than in layerMath because it needs the learning rate: a double
   * passed to a call that V8 does not inline is boxed, i.e. 16 bytes allocated every step.
   */
  private update(): void {
    const { trace, network } = this;
    const { params } = network;
    const { paramsBefore, paramsAfter, gradients } = trace;
    const rate = trace.learningRate;
    // The flat layout puts every weight before every bias: one loop updates them all.
    const trained = network.spec.trainBiases ? params.length : this.weightCount;
    let nonFinite = false;
    let exploding = false;
    // The weights' regularization term, added to the data gradient before the rate scales
    // it; the biases (from weightCount on) never get it, and the loop below does them.
    const reg = this.regularization;
    const regularized = reg ? this.weightCount : 0;
    const lambda = reg ? reg.rate : 0;
    const l1 = reg?.kind === 'l1';
    for (let k = 0; k < regularized; k++) {
      const w = paramsBefore[k]!;
      const term = l1 ? (w > 0 ? lambda : w < 0 ? -lambda : 0) : lambda * w;
      const value = w - rate * (gradients[k]! + term);
      paramsAfter[k] = value;
      const size = Math.abs(value);
      if (!(size <= MAX_ABS_PARAMETER)) {
        if (size > MAX_ABS_PARAMETER && size !== Infinity) exploding = true;
        else nonFinite = true;
      }
    }
    for (let k = regularized; k < trained; k++) {
      const value = paramsBefore[k]! - rate * gradients[k]!;
      paramsAfter[k] = value;
      const size = Math.abs(value);
      // One comparison on the common path; NaN fails every comparison.
      if (!(size <= MAX_ABS_PARAMETER)) {
        if (size > MAX_ABS_PARAMETER && size !== Infinity) exploding = true;
        else nonFinite = true;
      }
    }
    // Frozen biases keep their values (an empty range when biases train).
    for (let k = trained; k < params.length; k++) paramsAfter[k] = paramsBefore[k]!;
    const loss = trace.loss;
    const reason = !Number.isFinite(loss)
      ? 'non-finite-loss'
      : nonFinite
        ? 'non-finite-weights'
        : exploding
          ? 'exploding-weights'
          : null;
    if (reason === null) {
      params.set(paramsAfter);
      this.okOutcome.loss = loss;
      this.outcome = this.okOutcome;
      return;
    }
    this.refuse(reason, loss);
  }

  /** The network keeps its parameters (update never wrote them), and the trace shows it. */
  private refuse(reason: Exclude<StepOutcome, { ok: true }>['reason'], loss: number): void {
    const { trace } = this;
    trace.paramsAfter.set(trace.paramsBefore);
    trace.diverged = true;
    this.outcome = { ok: false, reason, loss };
  }

  /**
   * The network's prediction for one sample (`input`: input units), written into `out`
   * (≥ output units). Uses the network's current parameters and private scratch buffers:
   * the trace is untouched, so it may run in the middle of a staged step.
   */
  predict(input: ArrayLike<number>, out: Float64Array): void {
    const { layers } = this;
    if (input.length < layers[0]! || out.length < layers[this.matrices]!) {
      throw new RangeError(
        `predict needs ${layers[0]} inputs and room for ${layers[this.matrices]} outputs`,
      );
    }
    const a0 = this.scratchA[0]!;
    for (let k = 0; k < a0.length; k++) a0[k] = input[k]!;
    this.forwardScratch();
    out.set(this.scratchA[this.matrices]!);
  }

  /**
   * Mean of ½Σ(ŷ−y)² over `rows` samples (inputs and targets row-major), with the
   * network's current parameters; no update, trace untouched.
   */
  evaluateLoss(inputs: ArrayLike<number>, targets: ArrayLike<number>, rows: number): number {
    const { layers } = this;
    const inUnits = layers[0]!;
    const outUnits = layers[this.matrices]!;
    if (!Number.isInteger(rows) || rows < 1) {
      throw new RangeError(`rows must be a whole number ≥ 1, got ${rows}`);
    }
    if (inputs.length < rows * inUnits || targets.length < rows * outUnits) {
      throw new RangeError(
        `${rows} rows need ${rows * inUnits} inputs and ${rows * outUnits} targets`,
      );
    }
    const a0 = this.scratchA[0]!;
    const output = this.scratchA[this.matrices]!;
    let total = 0;
    for (let s = 0; s < rows; s++) {
      for (let k = 0; k < inUnits; k++) a0[k] = inputs[s * inUnits + k]!;
      this.forwardScratch();
      total += halfSquaredError(output, 0, targets, s * outUnits, outUnits);
    }
    return total / rows;
  }

  private forwardScratch(): void {
    const { layers, network } = this;
    for (let l = 0; l < this.matrices; l++) {
      forwardLayer(
        network.weights[l]!,
        network.biases[l]!,
        this.codes[l]!,
        this.scratchA[l]!,
        layers[l]!,
        this.scratchZ[l]!,
        this.scratchA[l + 1]!,
        layers[l + 1]!,
        1,
      );
    }
  }
}
