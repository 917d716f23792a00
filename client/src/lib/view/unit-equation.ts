/**
 * One unit's forward computation written out: z as a dot product with the numbers, then
 * a = f(z). Pure, like chain-rule.ts: results are the kernel's values from the trace.
 */
import { ACTIVATIONS } from '@backprop/shared/nn';
import type { SessionState } from '@backprop/shared/session';
import { fmt, fmtFactor } from './format';
import {
  activationSymbol,
  outputSymbol,
  stageText,
  targetSymbol,
  unitName,
  unitSymbol,
  weightSymbol,
} from './notation';

export interface UnitView {
  /** 'hidden unit 1', 'input unit 2 (bedrooms)' */
  name: string;
  /** a¹₁ or x₂ */
  symbol: string;
  /** The lines to print, in order. */
  lines: string[];
  /** The activation's formula, e.g. 'σ(z) = 1/(1+e^−z)'; null for inputs. */
  formula: string | null;
  /** Set when values are missing, saying what to run to see them. */
  hint: string | null;
  /** Which weights the numbers use, in words; null for inputs. */
  weightsNote: string | null;
  /** Whether the step's weights after its update exist (so `after` can be shown). */
  hasAfter: boolean;
}

/** Which weights to compute with: a step's trace has them from before and after its update. */
export type WeightsWhen = 'before' | 'after';

export function unitEquation(
  state: SessionState,
  layer: number,
  unit: number,
  when: WeightsWhen = 'before',
): UnitView {
  const { setup, trace } = state;
  const layers = setup.layers;
  const symbol = activationSymbol(layer, unit);
  if (layer === 0) {
    const column = setup.inputs[unit];
    const x = trace?.a[0]?.[unit];
    const raw = state.sample?.inputs[unit];
    const lines: string[] = [];
    if (x !== undefined) {
      lines.push(`${symbol} = ${fmt(x)}`);
      if (setup.normalize && raw !== undefined && column) {
        lines.push(`(${column.name} = ${fmt(raw)}, normalized to ${fmt(x)} for the network)`);
      }
    }
    return {
      name: unitName(0, unit, layers, column?.name),
      symbol,
      lines,
      formula: null,
      hint: x === undefined ? 'Start a step to see the input the network is given.' : null,
      weightsNote: null,
      hasAfter: false,
    };
  }

  const matrix = layer - 1;
  const columnName = layer === layers.length - 1 ? setup.targets[unit]?.name : undefined;
  const hasAfter = trace?.weightsAfter != null && trace.biasesAfter != null;
  const after = when === 'after' && hasAfter ? forwardAfter(state) : null;
  const source = after ?? {
    weights: trace?.weightsBefore ?? state.network.weights,
    biases: trace?.biasesBefore ?? state.network.biases,
    a: trace?.a ?? [],
    z: trace?.z ?? [],
  };
  const weights = source.weights[matrix]?.[unit] ?? [];
  const bias = source.biases[matrix]?.[unit] ?? NaN;
  const inputs = source.a[matrix] ?? null;
  const z = source.z[matrix]?.[unit];
  const a = source.a[layer]?.[unit];
  // δ and the error belong to the step, computed with the weights before its update.
  const delta = after ? undefined : trace?.delta[matrix]?.[unit];
  const activation = ACTIVATIONS[setup.activations[matrix]!];
  const zSym = unitSymbol('z', layer, unit);
  const bSym = unitSymbol('b', layer, unit);
  const fName = activation.formula.split('(')[0] ?? 'f';

  const symbolic = weights.map(
    (_, i) => `${weightSymbol(matrix, unit, i)}·${activationSymbol(matrix, i)}`,
  );
  const lines = [`${zSym} = ${[...symbolic, bSym].join(' + ')}`];
  if (inputs && z !== undefined) {
    const numeric = weights.map((w, i) => `${fmtFactor(w)}·${fmtFactor(inputs[i]!)}`);
    lines.push(`= ${[...numeric, fmtFactor(bias)].join(' + ')} = ${fmt(z)}`);
  } else {
    lines.push(`with ${bSym} = ${fmt(bias)}${setup.trainBiases ? '' : ' (frozen)'}`);
  }
  if (z !== undefined && a !== undefined) {
    lines.push(`${symbol} = ${fName}(${zSym}) = ${fName}(${fmt(z)}) = ${fmt(a)}`);
  } else {
    lines.push(`${symbol} = ${fName}(${zSym})`);
  }
  const error = layer === layers.length - 1 && !after ? trace?.error?.[unit] : undefined;
  const target = trace?.target[unit];
  if (a !== undefined && error !== undefined && target !== undefined) {
    // The output is the prediction ŷ; the error stage compares it with the target y.
    lines.push(
      `${outputSymbol(unit)} − ${targetSymbol(unit)} = ${fmt(a)} − ${fmtFactor(target)} = ${fmt(error)}`,
    );
  }
  if (delta !== undefined)
    lines.push(`${unitSymbol('δ', layer, unit)} = ∂E/∂${zSym} = ${fmt(delta)}`);
  return {
    name: unitName(layer, unit, layers, columnName),
    symbol,
    lines,
    formula: activation.formula,
    hint:
      z === undefined
        ? `Step forward to see the numbers: they are computed in “${stageText({ kind: 'forward', layer: matrix }, state.setup.layers)}”.`
        : null,
    weightsNote: weightsNote(state, after !== null),
    hasAfter,
  };
}

function weightsNote(state: SessionState, after: boolean): string {
  if (!state.trace) return `The current weights (step ${state.step}).`;
  if (after) {
    return 'Weights after this step’s update, as in the diagram: the same input fed forward again.';
  }
  return state.trace.weightsAfter
    ? 'Weights before this step’s update (the diagram shows them after it).'
    : 'Weights before this step’s update.';
}

/** The shown sample fed forward with the step's weights after its update. */
function forwardAfter(state: SessionState) {
  const trace = state.trace!;
  const weights = trace.weightsAfter!;
  const biases = trace.biasesAfter!;
  const a: number[][] = [trace.a[0] ?? []];
  const z: number[][] = [];
  weights.forEach((matrix, l) => {
    const f = ACTIVATIONS[state.setup.activations[l]!];
    const input = a[l]!;
    z[l] = matrix.map((row, j) => row.reduce((sum, w, i) => sum + w * input[i]!, biases[l]![j]!));
    a[l + 1] = z[l]!.map((value) => f.output(value));
  });
  return { weights, biases, a, z };
}
