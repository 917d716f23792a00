/**
 * Kernel structures (Float64Arrays, batch-major traces) turned into the protocol's plain
 * JSON views. The shown sample is sample 0 of the batch.
 */
import { denormalizeTarget } from '@backprop/shared/data';
import { networkToArrays, type Network, type Stage, type Trace } from '@backprop/shared/nn';
import {
  row,
  stagePatchView,
  type FitView,
  type NetworkValues,
  type SampleView,
  type StagePatch,
} from '@backprop/shared/session';
import type { PreparedData } from './prepared-data';

export function networkValues(net: Network): NetworkValues {
  return networkToArrays(net);
}

/** What a stage other than the update computed, for the shown sample. */
export function stagePatch(
  stage: Exclude<Stage, { kind: 'update' }>,
  trace: Trace,
  layers: readonly number[],
  data: PreparedData,
): StagePatch {
  return stagePatchView(stage, trace, layers, inDataUnits(data));
}

/** Network outputs (normalized when the setup normalizes) in the data's own units. */
function inDataUnits(data: PreparedData): (output: number[]) => number[] {
  return (output) => output.map((v, k) => denormalizeTarget(data.normalizer, k, v));
}

/** The shown sample's output (after the forward pass) in the data's units. */
export function shownPrediction(
  trace: Trace,
  layers: readonly number[],
  data: PreparedData,
): number[] {
  const L = layers.length - 1;
  return inDataUnits(data)(row(trace.a[L]!, 0, layers[L]!));
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
