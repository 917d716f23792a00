import { describe, expect, test } from 'vitest';
import { nextFocus, sameSelection, selectionFits, shownSelection } from '../src/lib/view/selection';

describe('selectionFits', () => {
  const layers = [3, 4, 1];
  test('keeps weights and units that exist in the network', () => {
    expect(selectionFits({ kind: 'weight', layer: 0, to: 3, from: 2 }, layers)).toBe(true);
    expect(selectionFits({ kind: 'weight', layer: 1, to: 0, from: 3 }, layers)).toBe(true);
    expect(selectionFits({ kind: 'unit', layer: 2, unit: 0 }, layers)).toBe(true);
  });
  test('drops what a new architecture no longer has', () => {
    expect(selectionFits({ kind: 'weight', layer: 2, to: 0, from: 0 }, layers)).toBe(false);
    expect(selectionFits({ kind: 'weight', layer: 0, to: 4, from: 0 }, layers)).toBe(false);
    expect(selectionFits({ kind: 'weight', layer: 0, to: 0, from: 3 }, layers)).toBe(false);
    expect(selectionFits({ kind: 'unit', layer: 3, unit: 0 }, layers)).toBe(false);
    expect(selectionFits({ kind: 'unit', layer: 1, unit: 4 }, layers)).toBe(false);
  });
});

test('sameSelection compares kind and indices', () => {
  expect(
    sameSelection({ kind: 'unit', layer: 1, unit: 2 }, { kind: 'unit', layer: 1, unit: 2 }),
  ).toBe(true);
  expect(
    sameSelection(
      { kind: 'unit', layer: 1, unit: 2 },
      { kind: 'weight', layer: 1, to: 2, from: 0 },
    ),
  ).toBe(false);
});

test('shownSelection keeps a selection only while it fits', () => {
  const pick = { kind: 'unit', layer: 1, unit: 2 } as const;
  expect(shownSelection(pick, [2, 3, 1])).toBe(pick);
  expect(shownSelection(pick, [2, 2, 1])).toBeNull();
  expect(shownSelection(null, [2, 3, 1])).toBeNull();
});

test('nextFocus: "Show to class" shows the selection, or stops when it is shown or none is picked', () => {
  const w = { kind: 'weight', layer: 0, to: 1, from: 0 } as const;
  const u = { kind: 'unit', layer: 1, unit: 0 } as const;
  expect(nextFocus(null, w)).toEqual(w);
  expect(nextFocus(u, w)).toEqual(w);
  expect(nextFocus(w, { ...w })).toBeNull();
  expect(nextFocus(w, null)).toBeNull();
  expect(nextFocus(null, null)).toBeNull();
});
