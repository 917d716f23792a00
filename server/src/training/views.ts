/**
 * Kernel structures (Float64Arrays, batch-major traces) turned into the protocol's plain
 * JSON views. The shown sample is sample 0 of the batch.
 */
import { denormalizeTarget } from '@backprop/shared/data';
import { networkToArrays, type Network, type Stage, type Trace } from '@backprop/shared/nn';
import type {
  FitView,
  NetworkValues,
  SampleView,
  StagePatch,
  TraceView,
} from '@backprop/shared/session';
import type { PreparedData } from './prepared-data';

export function networkValues(net: Network): NetworkValues {
  return networkToArrays(net);
}

/** Row `s` of a batch-major array with `units` columns. */
function row(values: Float64Array, s: number, units: number): number[] {
  return Array.from(values.subarray(s * units, (s + 1) * units));
}

/** A flat row-major (j, i) matrix as rows[j][i]. */
function matrix(values: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, j) => row(values, j, cols));
}

function matrices(values: Float64Array[], layers: readonly number[]): number[][][] {
  return values.map((m, l) => matrix(m, layers[l + 1]!, layers[l]!));
}

function batchRows(values: Float64Array, batchSize: number, units: number): number[][] {
  return Array.from({ length: batchSize }, (_, s) => row(values, s, units));
}

/** The trace of a step that has just begun: only the batch and the weights are known. */
export function openedTraceView(trace: Trace, layers: readonly number[]): TraceView {
  const L = layers.length - 1;
  const outUnits = layers[L]!;
  const none = <T>(count: number) => Array.from({ length: count }, (): T | null => null);
  return {
    batchSize: trace.batchSize,
    learningRate: trace.learningRate,
    a: [row(trace.a[0]!, 0, layers[0]!), ...none<number[]>(L)],
    z: none<number[]>(L),
    target: row(trace.target, 0, outUnits),
    error: null,
    sampleLoss: null,
    batchLoss: null,
    delta: none<number[]>(L),
    gradWeights: none<number[][]>(L),
    gradBiases: none<number[]>(L),
    weightsBefore: matrices(trace.weightsBefore, layers),
    biasesBefore: trace.biasesBefore.map((b) => Array.from(b)),
    weightsAfter: null,
    biasesAfter: null,
    batchInputs: batchRows(trace.a[0]!, trace.batchSize, layers[0]!),
    batchTargets: batchRows(trace.target, trace.batchSize, outUnits),
  };
}

/** The trace of a completed step, every value filled in. */
export function completedTraceView(trace: Trace, layers: readonly number[]): TraceView {
  const L = layers.length - 1;
  const opened = openedTraceView(trace, layers);
  return {
    ...opened,
    a: trace.a.map((values, l) => row(values, 0, layers[l]!)),
    z: trace.z.map((values, l) => row(values, 0, layers[l + 1]!)),
    error: row(trace.error, 0, layers[L]!),
    sampleLoss: trace.sampleLoss[0]!,
    batchLoss: trace.loss,
    delta: trace.delta.map((values, l) => row(values, 0, layers[l + 1]!)),
    gradWeights: matrices(trace.gradWeights, layers),
    gradBiases: trace.gradBiases.map((b) => Array.from(b)),
    weightsAfter: matrices(trace.weightsAfter, layers),
    biasesAfter: trace.biasesAfter.map((b) => Array.from(b)),
  };
}

/** What a stage other than the update computed, for the shown sample. */
export function stagePatch(
  stage: Exclude<Stage, { kind: 'update' }>,
  trace: Trace,
  layers: readonly number[],
  data: PreparedData,
): StagePatch {
  switch (stage.kind) {
    case 'forward': {
      const units = layers[stage.layer + 1]!;
      return {
        kind: 'forward',
        layer: stage.layer,
        z: row(trace.z[stage.layer]!, 0, units),
        a: row(trace.a[stage.layer + 1]!, 0, units),
      };
    }
    case 'error':
      return {
        kind: 'error',
        error: row(trace.error, 0, layers.at(-1)!),
        sampleLoss: trace.sampleLoss[0]!,
        batchLoss: trace.loss,
        prediction: shownPrediction(trace, layers, data),
      };
    case 'backward': {
      const l = stage.layer;
      return {
        kind: 'backward',
        layer: l,
        delta: row(trace.delta[l]!, 0, layers[l + 1]!),
        gradWeights: matrix(trace.gradWeights[l]!, layers[l + 1]!, layers[l]!),
        gradBiases: Array.from(trace.gradBiases[l]!),
      };
    }
  }
}

/** The shown sample's output (after the forward pass) in the data's units. */
export function shownPrediction(
  trace: Trace,
  layers: readonly number[],
  data: PreparedData,
): number[] {
  const L = layers.length - 1;
  return row(trace.a[L]!, 0, layers[L]!).map((v, k) => denormalizeTarget(data.normalizer, k, v));
}

/** The shown sample (row `rowId` of the dataset) in the data's units. */
export function sampleView(
  data: PreparedData,
  rowId: number,
  prediction: number[] | null,
): SampleView {
  const { dataset } = data;
  const inputs = dataset.inputs.length;
  const targets = dataset.targets.length;
  return {
    row: rowId,
    inputs: row(dataset.x, rowId, inputs),
    targets: row(dataset.y, rowId, targets),
    prediction,
  };
}

/** Predicted vs actual (first target, data units) on the fit rows, with the current network. */
export function fitView(
  data: PreparedData,
  predict: (input: Float64Array, out: Float64Array) => void,
): FitView {
  const { fit, dataset, normalizer } = data;
  const inputs = dataset.inputs.length;
  const out = new Float64Array(dataset.targets.length);
  const predicted = fit.rowIds.map((_, k) => {
    predict(fit.x.subarray(k * inputs, (k + 1) * inputs), out);
    return denormalizeTarget(normalizer, 0, out[0]!);
  });
  return { rows: fit.rowIds, actual: fit.actual, predicted };
}
