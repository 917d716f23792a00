/**
 * What the page tells its paint worker (paint-worker.ts) of each canvas it draws (by id): the
 * canvas once, the layout when it changes, each state to draw, and when it is gone. Weights travel as one flat array (moved,
 * not copied): a structured clone of 20,000 nested numbers would cost the page more than the
 * drawing it saves.
 */
import type { DiagramLayout } from '../../lib/view/diagram-layout';
import type { CanvasSize, DenseScene } from './draw';

export type PaintMessage =
  | { kind: 'canvas'; id: number; canvas: OffscreenCanvas }
  | { kind: 'layout'; id: number; layout: DiagramLayout }
  | { kind: 'drop'; id: number }
  | {
      kind: 'paint';
      id: number;
      size: CanvasSize;
      layers: number[];
      /** weights[l][to][from], matrix after matrix, row after row. */
      weights: Float64Array;
      activations: DenseScene['activations'];
      selected: DenseScene['selected'];
      bands: DenseScene['bands'];
    };

/** The scene's weights in one array, in the order `unflatten` reads them. */
export function flattenWeights(
  layers: readonly number[],
  weights: DenseScene['weights'],
): Float64Array {
  let n = 0;
  for (let l = 0; l + 1 < layers.length; l++) n += layers[l]! * layers[l + 1]!;
  const flat = new Float64Array(n);
  let at = 0;
  for (let l = 0; l + 1 < layers.length; l++)
    for (let to = 0; to < layers[l + 1]!; to++)
      for (let from = 0; from < layers[l]!; from++) flat[at++] = weights[l]?.[to]?.[from] ?? 0;
  return flat;
}

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
