/**
 * The JSON network file (documented in docs/network-file.md):
 *
 *   {"layers":[2,2,2], "activations":["sigmoid","sigmoid"], "trainBiases":false,
 *    "weights":[[[0.15,0.20],[0.25,0.30]],[[0.40,0.45],[0.50,0.55]]],
 *    "biases":[[0.35,0.35],[0.60,0.60]]}
 *
 * `weights[l][j][i]` connects unit i of layer l to unit j of layer l+1 (layer 0 is the
 * input). weights and biases are optional, both or neither; trainBiases defaults to true.
 */
import type { ActivationName } from './activations';
import { networkFromArrays, networkToArrays, type Network, type NetworkSpec } from './network';
import {
  describeValue,
  findParametersProblem,
  findSpecProblem,
  isRecord,
  type Problem,
} from './networkChecks';

export interface NetworkFile {
  layers: number[];
  activations: ActivationName[];
  trainBiases?: boolean;
  weights?: number[][][];
  biases?: number[][];
}

const FIELDS = ['layers', 'activations', 'trainBiases', 'weights', 'biases'] as const;

/** A refused network file; the message says what is wrong and where. */
export class NetworkFileError extends Error {
  override name = 'NetworkFileError';
  /** Where in the file, e.g. `weights[1][0][2]`; '' for the file as a whole. */
  readonly path: string;

  constructor(problem: Problem) {
    super(problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`);
    this.path = problem.path;
  }
}

/**
 * Checks a parsed network file. Returns its spec, and the network when the file gives
 * weights and biases. Throws NetworkFileError otherwise.
 */
export function parseNetworkFile(value: unknown): { spec: NetworkSpec; network?: Network } {
  if (!isRecord(value)) {
    throw new NetworkFileError({
      path: '',
      message: `expected a JSON object at the top level, got ${describeValue(value)}`,
    });
  }
  for (const key of Object.keys(value)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw new NetworkFileError({
        path: key,
        message: `unknown field (expected ${FIELDS.slice(0, -1).join(', ')} or ${FIELDS.at(-1)})`,
      });
    }
  }
  for (const key of ['layers', 'activations'] as const) {
    if (!(key in value)) throw new NetworkFileError({ path: key, message: 'missing' });
  }
  const candidate = {
    layers: value.layers,
    activations: value.activations,
    // Only an absent field defaults; `null` is refused like any other non-boolean.
    trainBiases: value.trainBiases === undefined ? true : value.trainBiases,
  };
  const specProblem = findSpecProblem(candidate);
  if (specProblem) throw new NetworkFileError(specProblem);
  const checked = candidate as NetworkSpec;
  const spec: NetworkSpec = {
    layers: [...checked.layers],
    activations: [...checked.activations],
    trainBiases: checked.trainBiases,
  };

  const hasWeights = value.weights !== undefined;
  const hasBiases = value.biases !== undefined;
  if (hasWeights !== hasBiases) {
    throw new NetworkFileError({
      path: hasWeights ? 'biases' : 'weights',
      message: 'missing (weights and biases go together: give both or neither)',
    });
  }
  if (!hasWeights) return { spec };
  const parametersProblem = findParametersProblem(spec.layers, value.weights, value.biases);
  if (parametersProblem) throw new NetworkFileError(parametersProblem);
  const network = networkFromArrays(
    spec,
    value.weights as number[][][],
    value.biases as number[][],
  );
  return { spec: network.spec, network };
}

/** parseNetworkFile for JSON text; a syntax error is a NetworkFileError too. */
export function parseNetworkFileText(text: string): { spec: NetworkSpec; network?: Network } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NetworkFileError({
      path: '',
      message: `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    });
  }
  return parseNetworkFile(value);
}

/**
 * The file object for a network (ready for JSON.stringify). Throws if a parameter is not
 * finite: JSON would silently turn NaN and Infinity into null.
 */
export function serializeNetworkFile(net: Network): NetworkFile {
  const { weights, biases } = networkToArrays(net);
  const file: NetworkFile = {
    layers: [...net.spec.layers],
    activations: [...net.spec.activations],
    trainBiases: net.spec.trainBiases,
    weights,
    biases,
  };
  const problem = findSpecProblem(file) ?? findParametersProblem(file.layers, weights, biases);
  if (problem) throw new NetworkFileError(problem);
  return file;
}
