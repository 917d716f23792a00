/**
 * Regularization: a penalty on large weights added to the error,
 * E = batch mean of ½Σ(ŷ − y)² + λ·R(w), on the weights only — never the biases (a bias
 * only shifts a unit; shrinking it does not make the network simpler).
 *
 * L1: R = Σ|w|, ∂R/∂w = sign(w) (0 at w = 0). L2: R = ½Σw², ∂R/∂w = w.
 */
export const REGULARIZATION_KINDS = ['l1', 'l2'] as const;
export type RegularizationKind = (typeof REGULARIZATION_KINDS)[number];

export interface Regularization {
  kind: RegularizationKind;
  /** λ, 0 … MAX_REGULARIZATION_RATE. */
  rate: number;
}

export const MAX_REGULARIZATION_RATE = 0.1;

/** Absent (undefined or null) means none: every function here then adds exactly 0. */
export type MaybeRegularization = Regularization | null | undefined;

/** Why a regularization cannot be used, or null. */
export function findRegularizationProblem(reg: Regularization): string | null {
  if (!(REGULARIZATION_KINDS as readonly string[]).includes(reg.kind)) {
    return `unknown regularization "${String(reg.kind)}"; use ${REGULARIZATION_KINDS.join(' or ')}`;
  }
  if (!(Number.isFinite(reg.rate) && reg.rate >= 0 && reg.rate <= MAX_REGULARIZATION_RATE)) {
    return `the regularization rate must be between 0 and ${MAX_REGULARIZATION_RATE}, got ${reg.rate}`;
  }
  return null;
}

/** λ·∂R/∂w: the term regularization adds to ∂E/∂w of a weight w (before the step). */
export function regularizationGradient(reg: MaybeRegularization, w: number): number {
  if (!reg) return 0;
  if (reg.kind === 'l2') return reg.rate * w;
  return w > 0 ? reg.rate : w < 0 ? -reg.rate : 0;
}

/** Nested lists of weights: a flat array, per-layer arrays or NetworkValues' number[][][]. */
export type WeightValues = ArrayLike<number> | readonly WeightValues[];

/**
 * λ·R(w) over all the weights (and only weights: pass no biases), summed in order
 * (matrix by matrix, row by row) and multiplied by λ (and ½ for L2) at the end.
 */
export function regularizationPenalty(reg: MaybeRegularization, weights: WeightValues): number {
  if (!reg) return 0;
  const sum = penaltySum(reg.kind, weights, 0);
  return reg.kind === 'l2' ? reg.rate * 0.5 * sum : reg.rate * sum;
}

function penaltySum(kind: RegularizationKind, values: WeightValues, start: number): number {
  let sum = start;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number | WeightValues;
    if (typeof v === 'number') sum += kind === 'l2' ? v * v : Math.abs(v);
    else sum = penaltySum(kind, v, sum);
  }
  return sum;
}
