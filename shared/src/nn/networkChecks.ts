/**
 * Checks on network specs and parameter arrays that say what is wrong and where
 * (`weights[1][0][2]: expected a finite number, got "x"`). validateSpec, networkFromArrays
 * and the network file parser share them, so every door into the kernel refuses the same
 * things with the same words.
 */
import { ACTIVATION_NAMES, isActivationName } from './activations';

export const NETWORK_LIMITS = {
  /** Input and output layers, so 0 to 6 hidden layers. */
  minLayers: 2,
  maxLayers: 8,
  minUnits: 1,
  maxUnits: 64,
} as const;

/**
 * The largest |weight| or |bias| a network may hold. A training step whose update would go
 * past it is refused as exploding; a file holding one is refused too, so a loaded network
 * can always be trained.
 */
export const MAX_ABS_PARAMETER = 1e6;

/** What is wrong (`message`) and where (`path`, e.g. `weights[0][1]`; '' for the whole). */
export interface Problem {
  path: string;
  message: string;
}

export function formatProblem(problem: Problem): string {
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}

/** 'sigmoid, tanh, relu or linear' */
export const ACTIVATION_LIST = `${ACTIVATION_NAMES.slice(0, -1).join(', ')} or ${ACTIVATION_NAMES.at(-1)}`;

/** A short, safe rendering of any value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function problem(path: string, message: string): Problem {
  return { path, message };
}

/** Whether `value` is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first problem with a network spec ({layers, activations, trainBiases}), or null. */
export function findSpecProblem(spec: unknown): Problem | null {
  if (!isRecord(spec))
    return problem('', `expected a network spec object, got ${describeValue(spec)}`);
  const { layers, activations, trainBiases } = spec;
  const { minLayers, maxLayers, minUnits, maxUnits } = NETWORK_LIMITS;
  if (!Array.isArray(layers)) {
    return problem('layers', `expected an array of unit counts, got ${describeValue(layers)}`);
  }
  if (layers.length < minLayers || layers.length > maxLayers) {
    return problem(
      'layers',
      `expected ${minLayers} to ${maxLayers} layers (input, up to ${maxLayers - 2} hidden, output), got ${layers.length}`,
    );
  }
  for (const [l, units] of layers.entries()) {
    if (!Number.isInteger(units) || (units as number) < minUnits || (units as number) > maxUnits) {
      return problem(
        `layers[${l}]`,
        `expected a whole number of units from ${minUnits} to ${maxUnits}, got ${describeValue(units)}`,
      );
    }
  }
  if (!Array.isArray(activations)) {
    return problem(
      'activations',
      `expected an array of activation names, got ${describeValue(activations)}`,
    );
  }
  if (activations.length !== layers.length - 1) {
    return problem(
      'activations',
      `expected ${layers.length - 1} names (one per non-input layer), got ${activations.length}`,
    );
  }
  for (const [l, name] of activations.entries()) {
    if (typeof name !== 'string') {
      return problem(
        `activations[${l}]`,
        `expected an activation name (${ACTIVATION_LIST}), got ${describeValue(name)}`,
      );
    }
    if (!isActivationName(name)) {
      return problem(
        `activations[${l}]`,
        `unknown activation ${describeValue(name)} (expected ${ACTIVATION_LIST})`,
      );
    }
  }
  if (typeof trainBiases !== 'boolean') {
    return problem('trainBiases', `expected true or false, got ${describeValue(trainBiases)}`);
  }
  return null;
}

function findParameterValueProblem(value: unknown, path: string): Problem | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return problem(path, `expected a finite number, got ${describeValue(value)}`);
  }
  if (Math.abs(value) > MAX_ABS_PARAMETER) {
    return problem(
      path,
      `expected a number within ±${MAX_ABS_PARAMETER} (larger counts as exploding), got ${value}`,
    );
  }
  return null;
}

function findVectorProblem(value: unknown, length: number, path: string, what: string) {
  if (!Array.isArray(value) || value.length !== length) {
    const got = Array.isArray(value) ? value.length : describeValue(value);
    return problem(path, `expected ${length} numbers (${what}), got ${got}`);
  }
  for (const [k, entry] of value.entries()) {
    const found = findParameterValueProblem(entry, `${path}[${k}]`);
    if (found) return found;
  }
  return null;
}

/**
 * The first problem with parameter arrays in the file layout (`weights[l][j][i]` connects
 * unit i of layer l to unit j of layer l+1; `biases[l][j]` belongs to unit j of layer l+1)
 * for a valid `layers`, or null.
 */
export function findParametersProblem(
  layers: readonly number[],
  weights: unknown,
  biases: unknown,
): Problem | null {
  const matrices = layers.length - 1;
  if (!Array.isArray(weights) || weights.length !== matrices) {
    const got = Array.isArray(weights) ? weights.length : describeValue(weights);
    return problem(
      'weights',
      `expected ${matrices} matrices (one per pair of adjacent layers), got ${got}`,
    );
  }
  for (const [l, matrix] of weights.entries()) {
    const rows = layers[l + 1]!;
    if (!Array.isArray(matrix) || matrix.length !== rows) {
      const got = Array.isArray(matrix) ? matrix.length : describeValue(matrix);
      return problem(
        `weights[${l}]`,
        `expected ${rows} rows (units of layers[${l + 1}]), got ${got}`,
      );
    }
    for (const [j, row] of matrix.entries()) {
      const found = findVectorProblem(
        row,
        layers[l]!,
        `weights[${l}][${j}]`,
        `units of layers[${l}]`,
      );
      if (found) return found;
    }
  }
  if (!Array.isArray(biases) || biases.length !== matrices) {
    const got = Array.isArray(biases) ? biases.length : describeValue(biases);
    return problem('biases', `expected ${matrices} vectors (one per non-input layer), got ${got}`);
  }
  for (const [l, vector] of biases.entries()) {
    const found = findVectorProblem(
      vector,
      layers[l + 1]!,
      `biases[${l}]`,
      `units of layers[${l + 1}]`,
    );
    if (found) return found;
  }
  return null;
}
