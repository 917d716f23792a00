/**
 * A network's weights (weights[l][to][from]) as one array, matrix after matrix, row after
 * row, and back: how they travel to the paint worker (paint-messages.ts) and how the plane
 * pictures read them (plane/grid.ts).
 */

/**
 * The weights in one array, in the order `unflattenWeights` reads them (absent ones 0):
 * written into `into` when it has their length (a page that sends a diagram at every state
 * reuses one array rather than leaving one per state to its collector), else a new one.
 */
export function flattenWeights(
  layers: readonly number[],
  weights: readonly (readonly (readonly number[])[])[],
  into?: Float64Array,
): Float64Array {
  let n = 0;
  for (let l = 0; l + 1 < layers.length; l++) n += layers[l]! * layers[l + 1]!;
  const flat = into?.length === n ? into : new Float64Array(n);
  let at = 0;
  for (let l = 0; l + 1 < layers.length; l++)
    for (let to = 0; to < layers[l + 1]!; to++) {
      // A row copied by the typed array's own `set` (a missing row or number is 0): a loop
      // of ours reading each weight runs unoptimised for the first seconds of play (it runs
      // a few times a second), and unoptimised code boxes every double it reads as a new
      // heap number (bench:client --allocations).
      const row = weights[l]?.[to] ?? NO_ROW;
      const count = layers[l]!;
      if (row.length === count) flat.set(row, at);
      else {
        flat.fill(0, at, at + count);
        flat.set(row.slice(0, count), at);
      }
      at += count;
    }
  return flat;
}

const NO_ROW: readonly number[] = [];

export function unflattenWeights(layers: readonly number[], flat: Float64Array): number[][][] {
  const weights: number[][][] = [];
  let at = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const matrix: number[][] = [];
    for (let to = 0; to < layers[l + 1]!; to++) {
      matrix.push(Array.from(flat.subarray(at, at + layers[l]!)));
      at += layers[l]!;
    }
    weights.push(matrix);
  }
  return weights;
}
