/**
 * Draws a scene (paint-messages.ts) on its canvas: in the paint worker, or on the page where
 * there is none (painter.ts). One drawing either way.
 */
import { paintDense } from './dense-draw';
import { paintFigure, type FigureLook } from './figure-draw';
import { paintHeatmap, paintPictures, type PlaneCache } from '../plane/plane-paint';
import type { DiagramLayout } from '../view/diagram-layout';
import type { Canvas } from './canvas';
import { unflattenWeights, type Scene } from './paint-messages';

/**
 * What a canvas keeps between its scenes: the layout and a figure's look, sent only when they
 * change; the plane's small canvases.
 */
export interface SceneCache extends PlaneCache {
  layout?: DiagramLayout;
  look?: FigureLook;
}

export function paintScene(canvas: Canvas, scene: Scene, cache: SceneCache): void {
  if (scene.type === 'heatmap') return paintHeatmap(canvas, scene, cache);
  if (scene.type === 'pictures') return paintPictures(canvas, scene, cache);
  if (scene.type === 'figure') {
    if (scene.look) cache.look = scene.look;
    if (cache.look) paintFigure(canvas, scene.text, cache.look);
    return;
  }
  if (scene.layout) cache.layout = scene.layout;
  if (!cache.layout) return;
  const { size, layers, weights, activations, selected, bands } = scene;
  paintDense(canvas, size, {
    layout: cache.layout,
    layers,
    weights: unflattenWeights(layers, weights),
    activations,
    selected,
    bands,
  });
}
