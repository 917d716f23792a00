/**
 * Every intermediate value of a training step, kept because the UI shows them all.
 * Allocated once per Trainer, sized for its largest batch, and overwritten by each step.
 */
import { layerViews, type Network } from './network';

/**
 * Batch arrays are batch-major: sample s, unit k at `[s * units + k]`. They are sized for
 * the trainer's maxBatch; only the first `batchSize` rows belong to the current step.
 * Values of stages not yet run in the current step are those of the previous step.
 */
export interface Trace {
  batchSize: number;
  learningRate: number;
  /** a[0] = inputs, a[l+1] = f(z[l]); L+1 entries for L weight matrices. */
  a: Float64Array[];
  /** z[l] = W[l]·a[l] + b[l], the pre-activation of layer l+1; L entries. */
  z: Float64Array[];
  /** batchSize × output units. */
  target: Float64Array;
  /** ŷ − y, batchSize × output units. */
  error: Float64Array;
  /** ½Σ(ŷ−y)² per sample. */
  sampleLoss: Float64Array;
  /** The mean of sampleLoss over the batch. */
  loss: number;
  /** delta[l] = ∂E/∂z[l] for layer l+1, batchSize × its units. */
  delta: Float64Array[];
  /**
   * Batch-mean ∂E/∂W and ∂E/∂b, laid out like the network: `gradients` holds them all in
   * the layout of Network.params, and gradWeights[l], gradBiases[l] are views onto it.
   */
  gradients: Float64Array;
  gradWeights: Float64Array[];
  gradBiases: Float64Array[];
  /** The network before the step, in the same two forms. */
  paramsBefore: Float64Array;
  weightsBefore: Float64Array[];
  biasesBefore: Float64Array[];
  /** The network after the step; equal to the "before" arrays when the step was refused. */
  paramsAfter: Float64Array;
  weightsAfter: Float64Array[];
  biasesAfter: Float64Array[];
  /** The update of this step was refused (non-finite or exploding). */
  diverged: boolean;
}

export function createTrace(net: Network, maxBatch: number): Trace {
  const { layers } = net.spec;
  const outUnits = layers.at(-1)!;
  const perLayer = (units: readonly number[]) => units.map((n) => new Float64Array(maxBatch * n));
  const gradients = new Float64Array(net.params.length);
  const paramsBefore = new Float64Array(net.params.length);
  const paramsAfter = new Float64Array(net.params.length);
  const grad = layerViews(layers, gradients);
  const before = layerViews(layers, paramsBefore);
  const after = layerViews(layers, paramsAfter);
  return {
    batchSize: 0,
    learningRate: 0,
    a: perLayer(layers),
    z: perLayer(layers.slice(1)),
    target: new Float64Array(maxBatch * outUnits),
    error: new Float64Array(maxBatch * outUnits),
    sampleLoss: new Float64Array(maxBatch),
    loss: 0,
    delta: perLayer(layers.slice(1)),
    gradients,
    gradWeights: grad.weights,
    gradBiases: grad.biases,
    paramsBefore,
    weightsBefore: before.weights,
    biasesBefore: before.biases,
    paramsAfter,
    weightsAfter: after.weights,
    biasesAfter: after.biases,
    diverged: false,
  };
}
