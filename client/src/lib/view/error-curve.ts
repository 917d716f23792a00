/**
 * The batch error E as a function of one weight, every other parameter held at its value
 * from before the step: the curve whose slope at the current weight is ∂E/∂w. Computed
 * with the shared kernel (the same forward pass and loss the server trains with), so the
 * tangent drawn from the trace's gradient really touches the curve. With regularization,
 * E includes the penalty λ·R(w) and the slope its term (the trace's gradients are the data
 * part only), so the step drawn is the one the update takes.
 */
import {
  Trainer,
  networkFromArrays,
  regularizationGradient,
  regularizationPenalty,
  type MaybeRegularization,
  type NetworkSpec,
} from '@backprop/shared/nn';
import type { TraceView } from '@backprop/shared/session';
import type { WeightRef } from './chain-rule';

export interface CurvePoint {
  w: number;
  e: number;
}

export interface ErrorCurve {
  points: CurvePoint[];
  /** The weight before the step and E there. */
  w0: number;
  e0: number;
  /** ∂E/∂w at w0 (the batch mean from the trace, plus the regularization term). */
  slope: number;
  /** Where the step moves the weight, w0 − α·slope, and E there (other weights unmoved). */
  w1: number;
  e1: number;
  /** The plotted range of w. */
  wMin: number;
  wMax: number;
}

/**
 * 'wide': w0 ± max(1, 3·|Δw|), enough to show the bowl (or the slope) around the weight,
 * where a small step may be a few pixels long. 'step': w0 ± 4·|Δw|, zoomed in on the step
 * itself (the curve then looks almost straight: that is what a small α means).
 */
export type CurveRange = 'wide' | 'step';

/**
 * null when the gradient of that weight is not known yet, or the trace does not fit the
 * spec. `samples` points span the range; the step's destination is always inside it.
 */
export function errorCurve(
  spec: NetworkSpec,
  trace: TraceView,
  weight: WeightRef,
  {
    range = 'wide',
    samples = 61,
    regularization,
  }: { range?: CurveRange; samples?: number; regularization?: MaybeRegularization } = {},
): ErrorCurve | null {
  const dataSlope = trace.gradWeights[weight.layer]?.[weight.to]?.[weight.from];
  const w0 = trace.weightsBefore[weight.layer]?.[weight.to]?.[weight.from];
  const rows = trace.batchInputs.length;
  if (dataSlope === undefined || w0 === undefined || rows === 0) return null;
  const slope = dataSlope + regularizationGradient(regularization, w0);
  // The penalty of every other weight is a constant along the curve; this weight's own
  // share, λ·|w| or λ·½w², moves with it.
  const ownPenalty = (w: number): number => regularizationPenalty(regularization, [w]);
  const otherPenalty = regularizationPenalty(regularization, trace.weightsBefore) - ownPenalty(w0);

  let trainer: Trainer;
  try {
    trainer = new Trainer(networkFromArrays(spec, trace.weightsBefore, trace.biasesBefore), 1);
  } catch {
    return null;
  }
  const inputs = trace.batchInputs.flat();
  const targets = trace.batchTargets.flat();
  const matrix = trainer.network.weights[weight.layer]!;
  const index = weight.to * spec.layers[weight.layer]! + weight.from;
  const lossAt = (w: number): number => {
    matrix[index] = w;
    return trainer.evaluateLoss(inputs, targets, rows) + otherPenalty + ownPenalty(w);
  };

  const w1 = w0 - trace.learningRate * slope;
  const step = Math.abs(w1 - w0);
  const half = range === 'step' && step > 0 ? 4 * step : Math.max(1, 3 * step);
  const wMin = w0 - half;
  const wMax = w0 + half;
  const points: CurvePoint[] = [];
  for (let k = 0; k < samples; k++) {
    const w = wMin + ((wMax - wMin) * k) / (samples - 1);
    const e = lossAt(w);
    // Far from w0 a steep network can overflow; leave those points out rather than plot ∞.
    if (Number.isFinite(e)) points.push({ w, e });
  }
  const e0 = lossAt(w0);
  const e1 = lossAt(w1);
  return { points, w0, e0, slope, w1, e1, wMin, wMax };
}
