import { focusFits, type Focus } from '@backprop/shared/session';

/**
 * What the user picked in the network diagram: a weight or a unit, the same shape as what
 * the host shows the class (Focus, shared/src/session/class-view.ts).
 */
export type Selection = Focus;

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
export const selectionFits = focusFits;

/**
 * What "Show to class" does (the button and the C key): show the selection, or stop
 * showing when it is the one shown already or nothing is selected.
 */
export function nextFocus(focus: Focus | null, selected: Selection | null): Focus | null {
  return !selected || sameSelection(focus, selected) ? null : selected;
}

/** The selection while it still fits a network with these layers, else null (nothing shown). */
export function shownSelection(
  selection: Selection | null,
  layers: readonly number[],
): Selection | null {
  return selection && selectionFits(selection, layers) ? selection : null;
}
