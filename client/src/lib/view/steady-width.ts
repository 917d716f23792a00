/**
 * The width, in characters, of a figure's box (ui/Figure.svelte) as its text changes: a new
 * width lays out the page around the box, so it grows at once but shrinks only after `after`
 * shorter texts in a row (a loss moving between 0.1953 and 0.04842 would otherwise resize its
 * box at every other state), and never while `growOnly` (in play: a new width costs a phone
 * ×4 a rendered frame of 6–33 ms, which play's states otherwise never need; bench:client's
 * traces showed one to three new widths a panel in ten seconds, several figures at once).
 */
export function steadyWidth(after = 10): (length: number, growOnly?: boolean) => number {
  let chars = 0;
  let shorter = 0;
  return (length, growOnly = false) => {
    if (length >= chars || (!growOnly && ++shorter >= after)) {
      chars = length;
      shorter = 0;
    }
    return chars;
  };
}

/**
 * The width, in characters, of a figure's canvas: its box's width (steadyWidth) and `spare`
 * more, kept until the box outgrows it (or shrinks well below it). The canvas sits at the
 * end of its box, which clips it: when the box gains a character (step 9999 → 10000) the
 * line around it is laid out again, but the canvas keeps its size, so the browser has no
 * canvas to resize and lay out, and the figure no new size to be drawn at (bench:client's
 * traces: a step gaining a digit cost a phone ×4 about 60 ms over the next frames, most of
 * it for the canvases' new sizes).
 */
export function spareWidth(spare = 4): (chars: number) => number {
  let reserved = 0;
  return (chars) => {
    if (chars > reserved || chars + 2 * spare < reserved) reserved = chars + spare;
    return reserved;
  };
}

/** A figure's box and canvas widths, in characters (steadyWidth, spareWidth). */
export interface FigureWidths {
  readonly box: number;
  readonly canvas: number;
}

/**
 * steadyWidth and spareWidth together, for one figure: the same object while neither width
 * changes, so that what reads it (the figure's template) runs only when one does, not at
 * every state of play that brings the figure a new text.
 */
export function figureWidths(): (length: number, growOnly?: boolean) => FigureWidths {
  const box = steadyWidth();
  const canvas = spareWidth();
  let last: FigureWidths = { box: 0, canvas: 0 };
  return (length, growOnly = false) => {
    const chars = box(length, growOnly);
    const spare = canvas(chars);
    if (chars !== last.box || spare !== last.canvas) last = { box: chars, canvas: spare };
    return last;
  };
}
