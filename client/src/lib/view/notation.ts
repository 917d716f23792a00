/**
 * How the UI names weights, units and layers: the one place that decides which index is
 * which, so the diagram, the inspectors and the screen-reader labels always agree.
 *
 * The source writes the weights of the first matrix w1ᵢⱼ and those of the second w2ᵢⱼ.
 * We keep that: w¹ᵢⱼ is a weight of matrix 1 (input → first hidden layer), i is the unit
 * it comes FROM (in the layer before) and j the unit it goes TO. In the arrays it is
 * weights[0][j−1][i−1]: rows are "to", columns are "from" (DESIGN.md, the math contract),
 * so the written order (from, to) is the reverse of the storage order (row, column).
 * Everything people read counts from 1; everything in code counts from 0.
 *
 * Units: layer 0 is the input layer, layer L the output layer. zˡⱼ and aˡⱼ are the
 * weighted sum and the activation of unit j of layer l; inputs are also written xᵢ and
 * outputs ŷⱼ, δˡⱼ = ∂E/∂zˡⱼ, bˡⱼ is the bias of unit j of layer l. Weight matrix l
 * (1-based) feeds layer l: zˡ = Wˡ·aˡ⁻¹ + bˡ.
 */

import type { Stage } from '@backprop/shared/nn';
import type { Focus } from '@backprop/shared/session';

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';

export function superscript(n: number): string {
  return String(n).replace(/\d/g, (d) => SUPERSCRIPT[Number(d)]!);
}

export function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => SUBSCRIPT[Number(d)]!);
}

/** Two subscript indices: '₂₁', or '₁₂,₃' when either has two digits (else ambiguous). */
function subscriptPair(first: number, second: number): string {
  const separator = first >= 10 || second >= 10 ? ',' : '';
  return subscript(first) + separator + subscript(second);
}

/**
 * The symbol of weights[matrix][to][from] (all 0-based): w¹₂₁ for weights[0][0][1],
 * the weight from input unit 2 to hidden unit 1.
 */
export function weightSymbol(matrix: number, to: number, from: number): string {
  return `w${superscript(matrix + 1)}${subscriptPair(from + 1, to + 1)}`;
}

export function gradientSymbol(matrix: number, to: number, from: number): string {
  return `∂E/∂${weightSymbol(matrix, to, from)}`;
}

/** 'input', 'hidden', 'hidden 2', 'output' for layer 0…L of `layers` (units per layer). */
export function layerName(layer: number, layers: readonly number[]): string {
  const last = layers.length - 1;
  if (layer === 0) return 'input';
  if (layer === last) return 'output';
  return last > 2 ? `hidden ${layer}` : 'hidden';
}

/** 'hidden unit 1', 'input unit 2 (area)' (the column name, when there is one). */
export function unitName(
  layer: number,
  unit: number,
  layers: readonly number[],
  columnName?: string,
): string {
  const base = `${layerName(layer, layers)} unit ${unit + 1}`;
  return columnName ? `${base} (${columnName})` : base;
}

/** What a weight joins, in words: 'from input unit 2 to hidden unit 1'. */
export function weightMeaning(
  matrix: number,
  to: number,
  from: number,
  layers: readonly number[],
): string {
  return `from ${unitName(matrix, from, layers)} to ${unitName(matrix + 1, to, layers)}`;
}

/** The layers a weight matrix joins: 'input → hidden'. */
export function matrixMeaning(matrix: number, layers: readonly number[]): string {
  return `${layerName(matrix, layers)} → ${layerName(matrix + 1, layers)}`;
}

/** zˡⱼ, δˡⱼ, bˡⱼ for unit `unit` (0-based) of layer `layer` (0 = input). */
export function unitSymbol(letter: 'z' | 'δ' | 'b', layer: number, unit: number): string {
  return `${letter}${superscript(layer)}${subscript(unit + 1)}`;
}

/** The activation of a unit: xᵢ for inputs, aˡⱼ otherwise. */
export function activationSymbol(layer: number, unit: number): string {
  return layer === 0 ? `x${subscript(unit + 1)}` : `a${superscript(layer)}${subscript(unit + 1)}`;
}

export function outputSymbol(unit: number): string {
  return `ŷ${subscript(unit + 1)}`;
}

export function targetSymbol(unit: number): string {
  return `y${subscript(unit + 1)}`;
}

/** The one explanation of the notation, shown beside the diagram and the inspectors. */
export const NOTATION_LEGEND =
  'w¹₂₁ is a weight of matrix 1 (input → hidden): it goes from unit 2 of the input layer ' +
  'to unit 1 of the hidden layer. The source writes wˡᵢⱼ: i is the unit it comes from, ' +
  'j the unit it goes to. aˡⱼ and zˡⱼ are the output and weighted sum of unit j of layer l ' +
  '(inputs x, outputs ŷ), δˡⱼ = ∂E/∂zˡⱼ.';

/**
 * A stage, named in this notation: 'Forward through w¹: input → hidden'. Naming the
 * matrix and the layers (input as layer 0, as DESIGN.md counts) avoids a second numbering.
 */
export function stageText(stage: Stage, layers: readonly number[]): string {
  switch (stage.kind) {
    case 'forward':
      return `Forward through w${superscript(stage.layer + 1)}: ${matrixMeaning(stage.layer, layers)}`;
    case 'error':
      return 'Error: ŷ − y';
    case 'backward':
      return `Backward through w${superscript(stage.layer + 1)}: ${layerName(stage.layer + 1, layers)} → ${layerName(stage.layer, layers)}`;
    case 'update':
      return 'Update: w ← w − α·∂E/∂w';
  }
}

/** A picked weight or unit in words, for "Showing w¹₂₁ to the class": 'w¹₂₁', 'hidden unit 1'. */
export function focusName(focus: Focus, layers: readonly number[]): string {
  return focus.kind === 'weight'
    ? weightSymbol(focus.layer, focus.to, focus.from)
    : unitName(focus.layer, focus.unit, layers);
}
