/**
 * The plane pictures as scenes a painter draws (lib/paint: in a worker where there is one):
 * the output heatmap, its data points, and every unit's picture inside its circle of the
 * diagram. A scene carries the weights, not the pictures' cells: the painter evaluates the
 * network over the plane itself (PlaneGrids, once per weights for all its pictures) and
 * draws. The page's part is a message of a few hundred numbers; the 4096 forward passes,
 * the cells and their raster (and the canvas's copy to the compositor) are the worker's.
 *
 * The heatmap is two canvases, one over the other: its cells, one pixel each, which the
 * browser scales to the picture's size as it composites, and the data points at the
 * screen's resolution, drawn again only when they change (a new setup, a toggle, a new
 * size). In play only the cells' canvas changes, 64×64 pixels rather than a phone's
 * ~1000×1000: a canvas that large cost the phone's main thread a task at each new picture
 * (Chromium asking it for a GPU context: ~99 tasks of up to 12 ms in bench:client's 20 s
 * window) besides its copy to the compositor, which a 64×64 canvas is spared.
 */
import { applyFeatures, type FeatureName } from '@backprop/shared/data';
import { sizeCanvas, type Canvas, type Context2D } from '../paint/canvas';
import { CellCanvas, drawCells, drawPoints, positiveShare, type PointsOptions } from './draw';
import { PlaneGrid, type FlatNetwork, type GridShape, type InputMap } from './grid';
import { paintCells, unitDomain, type Domain } from './heat-scale';
import type { PlanePoints } from './plane-view';

/** The network a picture shows, over the plane. */
export interface PlaneInput {
  /** Names these weights on the page: the painter evaluates each key once for all pictures. */
  key: number;
  shape: GridShape;
  features: readonly FeatureName[];
  network: FlatNetwork;
}

/** A unit of the diagram: layer 0 is the input features, the last layer the output. */
export interface UnitRef {
  layer: number;
  unit: number;
}

/** The heatmap's cells: a canvas of one pixel per cell, scaled up by the browser. */
export interface HeatmapScene {
  type: 'heatmap';
  plane: PlaneInput;
  /** The unit shown in the output's place (null: the output). */
  focus: UnitRef | null;
  /** The output's colour domain. */
  domain: Domain;
  discretize: boolean;
}

/** The heatmap's data points, on a transparent canvas over its cells. */
export interface PointsScene {
  type: 'points';
  points: PlanePoints;
  /** The square canvas's side in device pixels, and how the points look. */
  options: PointsOptions;
}

export interface PicturesScene {
  type: 'pictures';
  width: number;
  height: number;
  plane: PlaneInput;
  /** The pictures use every `every`-th row and column of the grid. */
  every: number;
  /** Each unit pictured, and its circle's centre in device pixels. */
  units: (UnitRef & { x: number; y: number })[];
  radius: number;
}

/** What a painted heatmap tells the page: the share of the plane on the blue side, in %. */
export interface HeatmapReport {
  share: number;
}

/** What a canvas's painter keeps from one scene to the next. */
export interface PlaneCache {
  cells?: CellCanvas;
  /** The heatmap's pixels, one per cell. */
  image?: ImageData;
  /** The unit values of a picture, reused from scene to scene. */
  values?: Float64Array;
}

/**
 * The painter's one grid: evaluated once per weights (PlaneInput.key), however many of its
 * pictures draw them, and kept for the next scene (a toggle repaints without evaluating).
 */
export class PlaneGrids {
  /** Evaluations done (tests, and the heaviest of a painter's work). */
  evaluations = 0;
  #grid: PlaneGrid | null = null;
  #key = -1;
  #inputs: { key: string; map: InputMap } | null = null;

  /** The grid holding `plane`'s values, or null for weights of another shape than the setup. */
  gridOf(plane: PlaneInput): PlaneGrid | null {
    if (!this.#grid?.fits(plane.shape)) {
      this.#grid = new PlaneGrid(plane.shape);
      this.#key = -1;
    }
    if (this.#key !== plane.key) {
      try {
        this.#grid.evaluate(plane.network, this.#inputMap(plane.features));
      } catch {
        // A frame between a setup and its network: the next state brings matching ones.
        this.#key = -1;
        return null;
      }
      this.#key = plane.key;
      this.evaluations += 1;
    }
    return this.#grid;
  }

  /** One function per set of features: the grid computes its inputs again only for a new one. */
  #inputMap(features: readonly FeatureName[]): InputMap {
    const key = features.join(',');
    if (this.#inputs?.key !== key) {
      const names = [...features];
      this.#inputs = {
        key,
        map: (x1, x2, out, offset) => applyFeatures(x1, x2, names, out, offset),
      };
    }
    return this.#inputs.map;
  }
}

function valuesOf(cache: PlaneCache, length: number): Float64Array {
  if (cache.values?.length !== length) cache.values = new Float64Array(length);
  return cache.values;
}

/** A unit's colour domain: its activation's range, or its values' own (inputs, unbounded). */
function domainOf(grid: PlaneGrid, unit: UnitRef, values: Float64Array): Domain {
  return unitDomain(values, unit.layer === 0 ? null : grid.shape.activations[unit.layer - 1]!);
}

export function paintHeatmap(
  canvas: Canvas,
  scene: HeatmapScene,
  cache: PlaneCache,
  grids: PlaneGrids,
): HeatmapReport | undefined {
  const grid = grids.gridOf(scene.plane);
  if (!grid) return undefined;
  const resolution = grid.shape.resolution;
  sizeCanvas(canvas, resolution, resolution);
  const context = canvas.getContext('2d') as Context2D | null;
  if (!context) return undefined;
  const { focus } = scene;
  const layers = grid.shape.layers;
  const shown = focus && focus.layer < layers.length - 1 && focus.unit < layers[focus.layer]!;
  const values = grid.unitValues(
    shown ? focus.layer : layers.length - 1,
    shown ? focus.unit : 0,
    valuesOf(cache, grid.cells),
  );
  const domain = shown ? domainOf(grid, focus, values) : scene.domain;
  if (cache.image?.width !== resolution)
    cache.image = context.createImageData(resolution, resolution);
  paintCells(values, domain, scene.discretize && !shown, cache.image.data);
  context.putImageData(cache.image, 0, 0);
  return shown ? undefined : { share: Math.round(positiveShare(grid, values, domain) * 20) * 5 };
}

export function paintPoints(canvas: Canvas, scene: PointsScene): void {
  const { size } = scene.options;
  // Sized even when the size is the same: that clears it.
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d') as Context2D | null;
  if (context) drawPoints(context, scene.points, scene.options);
}

export function paintPictures(
  canvas: Canvas,
  scene: PicturesScene,
  cache: PlaneCache,
  grids: PlaneGrids,
): void {
  const grid = grids.gridOf(scene.plane);
  if (!grid) return;
  sizeCanvas(canvas, scene.width, scene.height);
  const context = canvas.getContext('2d') as Context2D | null;
  if (!context) return;
  const { every, radius: r } = scene;
  const side = Math.ceil(grid.shape.resolution / every);
  const units = scene.units.filter(
    (u) => u.layer < grid.shape.layers.length && u.unit < grid.shape.layers[u.layer]!,
  );
  if (cache.cells?.resolution !== side || cache.cells.tiles !== Math.max(1, units.length))
    cache.cells = new CellCanvas(side, Math.max(1, units.length));
  const cells = cache.cells;
  const values = valuesOf(cache, side * side);
  // Every picture's tile first, then every circle: the tiles' canvas is copied once.
  units.forEach((u, tile) => {
    grid.unitValuesEvery(every, u.layer, u.unit, values);
    cells.paint(values, domainOf(grid, u, values), false, tile);
  });
  context.clearRect(0, 0, canvas.width, canvas.height);
  units.forEach(({ x, y }, tile) => {
    context.save();
    context.beginPath();
    context.arc(x, y, r, 0, 2 * Math.PI);
    context.clip();
    drawCells(context, cells, x - r, y - r, 2 * r, tile);
    context.restore();
  });
}
