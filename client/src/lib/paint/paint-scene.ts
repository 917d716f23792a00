/**
 * Draws a scene (paint-messages.ts) on its canvas: in the paint worker, or on the page where
 * there is none (painter.ts). One drawing either way.
 */
import { paintDense } from './dense-draw';
import { paintFigure, type FigureLook } from './figure-draw';
import { paintChart } from './chart-draw';
import {
  paintHeatmap,
  paintPictures,
  paintPoints,
  type HeatmapReport,
  type PlaneCache,
  type PlaneGrids,
} from '../plane/plane-paint';
import type { DiagramLayout } from '../view/diagram-layout';
import type { Canvas } from './canvas';
import { unflattenWeights } from './flat-weights';
import type { Scene } from './paint-messages';

/**
 * What a canvas keeps between its scenes: the layout and a figure's look, sent only when they
 * change; the plane's small canvases.
 */
export interface SceneCache extends PlaneCache {
  layout?: DiagramLayout;
  look?: FigureLook;
}

/** What a painted scene tells the page back (painter.ts): only the heatmap says anything. */
export type PaintReport = HeatmapReport;

/**
 * Draws `scene`; the plane's scenes evaluate their network on `grids`, the painter's one grid
 * for all its canvases.
 */
export function paintScene(
  canvas: Canvas,
  scene: Scene,
  cache: SceneCache,
  grids: PlaneGrids,
): PaintReport | undefined {
  if (scene.type === 'heatmap') return paintHeatmap(canvas, scene, cache, grids);
  if (scene.type === 'pictures') {
    paintPictures(canvas, scene, cache, grids);
    return undefined;
  }
  if (scene.type === 'points') {
    paintPoints(canvas, scene);
    return undefined;
  }
  if (scene.type === 'chart') {
    paintChart(canvas, scene);
    return undefined;
  }
  if (scene.type === 'figure') {
    if (scene.look) cache.look = scene.look;
    if (cache.look) paintFigure(canvas, scene.text, cache.look, scene.fit, scene.align);
    return undefined;
  }
  if (scene.layout) cache.layout = scene.layout;
  if (!cache.layout) return undefined;
  const { size, layers, weights, activations, selected, bands } = scene;
  paintDense(canvas, size, {
    layout: cache.layout,
    layers,
    weights: unflattenWeights(layers, weights),
    activations,
    selected,
    bands,
  });
  return undefined;
}
