/**
 * The width, in characters, of a figure's box (ui/Figure.svelte) as its text changes: a new
 * width lays out the page around the box, so it grows at once but shrinks only after `after`
 * shorter texts in a row (a loss moving between 0.1953 and 0.04842 would otherwise resize its
 * box at every other state).
 */
export function steadyWidth(after = 10): (length: number) => number {
  let chars = 0;
  let shorter = 0;
  return (length) => {
    if (length >= chars || ++shorter >= after) {
      chars = length;
      shorter = 0;
    }
    return chars;
  };
}
