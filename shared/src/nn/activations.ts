/**
 * The activation functions a layer can use, as {output, der} pairs (the shape
 * tensorflow/playground uses), plus small integer codes: the trainer's hot loops switch on
 * a code instead of calling through an object, and both paths share the same formulas, so
 * the UI and the kernel compute bit-identical values.
 */

export const ACTIVATION_NAMES = ['sigmoid', 'tanh', 'relu', 'linear'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

export interface Activation {
  name: ActivationName;
  output(z: number): number;
  /** f'(z), given z and a = f(z): sigmoid and tanh are cheapest written in terms of a. */
  der(z: number, a: number): number;
  /** The function, written for the UI. */
  formula: string;
  /** Its derivative, written for the UI. */
  derFormula: string;
}

/** Activation codes: the position of the name in ACTIVATION_NAMES. */
export const SIGMOID = 0;
export const TANH = 1;
export const RELU = 2;
export const LINEAR = 3;
export type ActivationCode = typeof SIGMOID | typeof TANH | typeof RELU | typeof LINEAR;

export function isActivationName(value: unknown): value is ActivationName {
  return typeof value === 'string' && (ACTIVATION_NAMES as readonly string[]).includes(value);
}

export function activationCode(name: ActivationName): ActivationCode {
  const code = ACTIVATION_NAMES.indexOf(name);
  if (code < 0) throw new Error(`unknown activation "${String(name)}"`);
  return code as ActivationCode;
}

// For very negative z, e^−z overflows to Infinity and the result is exactly 0: no NaN.
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
// Math.max rather than `z > 0 ? z : 0`: it lets NaN through (so divergence is seen) and
// never returns −0.
const relu = (z: number): number => Math.max(0, z);
// ReLU is not differentiable at 0; we take the derivative there to be 0 (a unit exactly at
// the kink passes no gradient), as most libraries do.
const reluDer = (z: number): number => (z > 0 ? 1 : 0);
// σ′ and tanh′ from a = f(z): no second exp.
const sigmoidDer = (a: number): number => a * (1 - a);
const tanhDer = (a: number): number => 1 - a * a;

/**
 * out[k] = f(z[k]) for k in [from, to): the hot-loop twin of ACTIVATIONS[name].output. The
 * switch sits outside the loop so each case is a tight loop over one formula.
 */
export function activateRange(
  code: number,
  z: Float64Array,
  out: Float64Array,
  from: number,
  to: number,
): void {
  switch (code) {
    case SIGMOID:
      for (let k = from; k < to; k++) out[k] = sigmoid(z[k]!);
      return;
    case TANH:
      for (let k = from; k < to; k++) out[k] = Math.tanh(z[k]!);
      return;
    case RELU:
      for (let k = from; k < to; k++) out[k] = relu(z[k]!);
      return;
    case LINEAR:
      for (let k = from; k < to; k++) out[k] = z[k]!;
      return;
    default:
      throw new Error(`unknown activation code ${code}`);
  }
}

/**
 * out[k] = factor[k] · f′(z[k]) for k in [from, to), with a = f(z) (`out` may be `factor`):
 * the hot-loop twin of ACTIVATIONS[name].der, for δ = (∂E/∂a) ⊙ f′(z).
 */
export function timesDerRange(
  code: number,
  factor: Float64Array,
  z: Float64Array,
  a: Float64Array,
  out: Float64Array,
  from: number,
  to: number,
): void {
  switch (code) {
    case SIGMOID:
      for (let k = from; k < to; k++) out[k] = factor[k]! * sigmoidDer(a[k]!);
      return;
    case TANH:
      for (let k = from; k < to; k++) out[k] = factor[k]! * tanhDer(a[k]!);
      return;
    case RELU:
      for (let k = from; k < to; k++) out[k] = factor[k]! * reluDer(z[k]!);
      return;
    case LINEAR:
      for (let k = from; k < to; k++) out[k] = factor[k]!;
      return;
    default:
      throw new Error(`unknown activation code ${code}`);
  }
}

export const ACTIVATIONS: Record<ActivationName, Activation> = {
  sigmoid: {
    name: 'sigmoid',
    output: sigmoid,
    der: (_z, a) => sigmoidDer(a),
    formula: 'σ(z) = 1/(1+e^−z)',
    derFormula: 'σ′(z) = σ(z)·(1−σ(z))',
  },
  tanh: {
    name: 'tanh',
    output: Math.tanh,
    der: (_z, a) => tanhDer(a),
    formula: 'tanh(z) = (e^z−e^−z)/(e^z+e^−z)',
    derFormula: 'tanh′(z) = 1−tanh²(z)',
  },
  relu: {
    name: 'relu',
    output: relu,
    der: (z) => reluDer(z),
    formula: 'ReLU(z) = max(0, z)',
    derFormula: 'ReLU′(z) = 1 if z > 0, else 0 (0 at z = 0)',
  },
  linear: {
    name: 'linear',
    output: (z) => z,
    der: () => 1,
    formula: 'f(z) = z',
    derFormula: 'f′(z) = 1',
  },
};
