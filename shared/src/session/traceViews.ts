/**
 * The kernel's structures (Float64Arrays, batch-major traces) as the session's plain JSON
 * views. The shown sample is sample 0 of the batch. One home for these conversions: the
 * server builds its events with them, the command line prints them, tests and fixtures
 * use them.
 */
import type { Stage, Trace } from '../nn';
import type { StagePatch } from './events';
import type { TraceView } from './state';

/** Row `s` of a row-major array with `units` columns. */
export function row(values: Float64Array, s: number, units: number): number[] {
  return Array.from(values.subarray(s * units, (s + 1) * units));
}

/** A flat row-major (j, i) matrix as rows[j][i]. */
export function matrix(values: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, j) => row(values, j, cols));
}

/** One matrix per layer, in the network file's layout weights[l][j][i]. */
export function matrices(values: Float64Array[], layers: readonly number[]): number[][][] {
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
  return {
    ...openedTraceView(trace, layers),
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

/**
 * What a stage other than the update computed, for the shown sample. `toDataUnits` turns
 * the network's outputs into the data's own units (the identity without normalization).
 */
export function stagePatchView(
  stage: Exclude<Stage, { kind: 'update' }>,
  trace: Trace,
  layers: readonly number[],
  toDataUnits: (output: number[]) => number[],
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
    case 'error': {
      const L = layers.length - 1;
      return {
        kind: 'error',
        error: row(trace.error, 0, layers[L]!),
        sampleLoss: trace.sampleLoss[0]!,
        batchLoss: trace.loss,
        prediction: toDataUnits(row(trace.a[L]!, 0, layers[L]!)),
      };
    }
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
