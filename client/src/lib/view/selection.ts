/**
 * What the user picked in the network diagram. Weight indices follow the arrays
 * (weights[layer][to][from], layer = 0-based weight matrix, as in the weight-edited event);
 * unit layers count from 0 = input to L = output.
 */
export type Selection =
  | { kind: 'weight'; layer: number; to: number; from: number }
  | { kind: 'unit'; layer: number; unit: number };

export function sameSelection(a: Selection | null | undefined, b: Selection): boolean {
  if (!a || a.kind !== b.kind || a.layer !== b.layer) return false;
  if (a.kind === 'weight' && b.kind === 'weight') return a.to === b.to && a.from === b.from;
  if (a.kind === 'unit' && b.kind === 'unit') return a.unit === b.unit;
  return false;
}

/**
 * Whether the selection still names a weight or unit of a network with these layers
 * (units per layer): after a new architecture it may not, and then nothing is shown.
 */
export function selectionFits(selection: Selection, layers: readonly number[]): boolean {
  if (selection.kind === 'unit') {
    return selection.layer < layers.length && selection.unit < (layers[selection.layer] ?? 0);
  }
  return (
    selection.layer < layers.length - 1 &&
    selection.to < (layers[selection.layer + 1] ?? 0) &&
    selection.from < (layers[selection.layer] ?? 0)
  );
}

/** The selection while it still fits a network with these layers, else null (nothing shown). */
export function shownSelection(
  selection: Selection | null,
  layers: readonly number[],
): Selection | null {
  return selection && selectionFits(selection, layers) ? selection : null;
}
