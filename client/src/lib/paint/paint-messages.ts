/**
 * What the page tells its paint worker (paint-worker.ts) of each canvas it draws (by id): the
 * canvas once, each scene to draw, and when it is gone. A dense diagram's weights travel as
 * one flat array and its layout only when it changed; the plane pictures' cells and a chart's
 * values as typed arrays: a structured clone of 20,000 nested numbers would cost the page
 * more than the drawing it saves, while a typed array is copied at memcpy speed (or moved).
 */
import type { CanvasSize, DenseScene } from './dense-draw';
import type { DiagramLayout } from '../view/diagram-layout';
import type { HeatmapScene, PicturesScene, PointsScene } from '../plane/plane-paint';
import type { FigureScene } from './figure-draw';
import type { ChartScene } from './chart-draw';
import { flattenWeights } from './flat-weights';

export interface DenseWire {
  type: 'dense';
  size: CanvasSize;
  /** Absent: the layout sent before. */
  layout?: DiagramLayout;
  layers: number[];
  /** weights[l][to][from], matrix after matrix, row after row. */
  weights: Float64Array;
  activations: DenseScene['activations'];
  selected: DenseScene['selected'];
  bands: DenseScene['bands'];
}

export type Scene =
  DenseWire | HeatmapScene | PointsScene | PicturesScene | FigureScene | ChartScene;

export type PaintMessage =
  | { kind: 'canvas'; id: number; canvas: OffscreenCanvas }
  | { kind: 'scene'; id: number; scene: Scene }
  | { kind: 'drop'; id: number };

/**
 * A dense diagram's scene as it travels: plain copies (the page's state may be reactive
 * proxies, which do not clone), the layout only if it is not `sent`, the weights written
 * into `weights` when it has their length (flattenWeights).
 */
export function denseWire(
  size: CanvasSize,
  scene: DenseScene,
  sent: DiagramLayout | null,
  weights?: Float64Array,
): DenseWire {
  const layers = [...scene.layers];
  return {
    type: 'dense',
    size: { ...size },
    ...(scene.layout === sent ? {} : { layout: scene.layout }),
    layers,
    weights: flattenWeights(layers, scene.weights, weights),
    activations: scene.activations.map((a) => (a ? [...a] : null)),
    selected: scene.selected && { ...scene.selected },
    bands: scene.bands.map((band) => ({ ...band })),
  };
}
