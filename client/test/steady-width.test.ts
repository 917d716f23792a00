import { expect, test } from 'vitest';
import { figureWidths, spareWidth, steadyWidth } from '../src/lib/view/steady-width';

test("a figure's box grows at once and shrinks only after ten shorter texts in a row", () => {
  const width = steadyWidth();
  expect(width(6)).toBe(6);
  expect(width(7)).toBe(7);
  // Shorter and longer in turns (a loss between 0.1953 and 0.04842): the box keeps its width.
  for (let k = 0; k < 20; k++) expect(width(k % 2 === 0 ? 6 : 7)).toBe(7);
  for (let k = 1; k < 10; k++) expect(width(5)).toBe(7);
  expect(width(5)).toBe(5);
});

test("in play a figure's box only grows; after play it shrinks as before", () => {
  const width = steadyWidth();
  expect(width(7, true)).toBe(7);
  for (let k = 0; k < 50; k++) expect(width(5, true)).toBe(7);
  expect(width(8, true)).toBe(8);
  // Play over: ten shorter texts in a row, counted from then.
  for (let k = 1; k < 10; k++) expect(width(5)).toBe(8);
  expect(width(5)).toBe(5);
});

test("a figure's canvas is four characters wider than its box, and keeps its width while the box grows into it", () => {
  const canvas = spareWidth();
  // The step's box: 1 character at step 0, 5 at step 10,000: the canvas does not change.
  expect([1, 2, 3, 4, 5].map(canvas)).toEqual([5, 5, 5, 5, 5]);
  // Outgrown (step 100,000): four more again.
  expect(canvas(6)).toBe(10);
  // A box much narrower than its canvas (a long text gone): the canvas follows it down.
  expect(canvas(2)).toBe(10);
  expect(canvas(1)).toBe(5);
});

test("a figure's widths are one object while neither its box nor its canvas changes", () => {
  const widths = figureWidths();
  const first = widths(5, true);
  expect(first).toEqual({ box: 5, canvas: 9 });
  // Texts as long or shorter, in play: the same object (the figure's template does not run).
  expect(widths(5, true)).toBe(first);
  expect(widths(3, true)).toBe(first);
  // A longer text within the spare canvas: a new box, the same canvas.
  expect(widths(6, true)).toEqual({ box: 6, canvas: 9 });
  expect(widths(10, true)).toEqual({ box: 10, canvas: 14 });
});
