/**
 * The plane pictures as scenes a painter draws (lib/paint: in a worker where there is one):
 * the output heatmap with its data points, and every unit's picture inside its circle of the
 * diagram. The page computes the cells' values from the shared grid and sends them; drawing
 * them (hundreds of thousands of device pixels per picture, and the browser's copy of each
 * canvas to the compositor) is then off its main thread.
 */
import { sizeCanvas, type Canvas, type Context2D } from '../paint/canvas';
import { CellCanvas, PointsLayer, drawCells, type PointsOptions } from './draw';
import type { Domain } from './heat-scale';
import type { PlanePoints } from './plane-view';

export interface HeatmapScene {
  type: 'heatmap';
  /** The square canvas's side in device pixels. */
  size: number;
  resolution: number;
  /** resolution² cells, row after row. */
  values: Float64Array;
  domain: Domain;
  discretize: boolean;
  /** The data points: sent again only when `pointsKey` changes (a new setup). */
  points: PlanePoints | null;
  pointsKey: number;
  pointsOptions: Omit<PointsOptions, 'size'>;
}

export interface PicturesScene {
  type: 'pictures';
  width: number;
  height: number;
  /** Cells per side of one picture. */
  side: number;
  /** One picture after another, side² cells each. */
  values: Float64Array;
  domains: Domain[];
  /** Each picture's circle centre, in device pixels, and the circles' radius. */
  circles: { x: number; y: number }[];
  radius: number;
}

/** What a canvas's painter keeps from one scene to the next. */
export interface PlaneCache {
  cells?: CellCanvas;
  points?: PointsLayer;
  planePoints?: PlanePoints | null;
  pointsKey?: number;
}

export function paintHeatmap(canvas: Canvas, scene: HeatmapScene, cache: PlaneCache): void {
  sizeCanvas(canvas, scene.size, scene.size);
  const context = canvas.getContext('2d') as Context2D | null;
  if (!context) return;
  if (cache.cells?.resolution !== scene.resolution || cache.cells.tiles !== 1)
    cache.cells = new CellCanvas(scene.resolution);
  if (scene.points || cache.pointsKey !== scene.pointsKey) {
    cache.planePoints = scene.points;
    cache.pointsKey = scene.pointsKey;
  }
  cache.cells.paint(scene.values, scene.domain, scene.discretize);
  drawCells(context, cache.cells, 0, 0, scene.size);
  cache.points ??= new PointsLayer();
  if (cache.planePoints)
    cache.points.draw(context, cache.planePoints, { ...scene.pointsOptions, size: scene.size });
}

export function paintPictures(canvas: Canvas, scene: PicturesScene, cache: PlaneCache): void {
  sizeCanvas(canvas, scene.width, scene.height);
  const context = canvas.getContext('2d') as Context2D | null;
  if (!context) return;
  const { side, circles, radius: r } = scene;
  if (cache.cells?.resolution !== side || cache.cells.tiles !== circles.length)
    cache.cells = new CellCanvas(side, Math.max(1, circles.length));
  const cells = cache.cells;
  // Every picture's tile first, then every circle: the tiles' canvas is copied once.
  circles.forEach((_, tile) => {
    const values = scene.values.subarray(tile * side * side, (tile + 1) * side * side);
    cells.paint(values, scene.domains[tile]!, false, tile);
  });
  context.clearRect(0, 0, canvas.width, canvas.height);
  circles.forEach(({ x, y }, tile) => {
    context.save();
    context.beginPath();
    context.arc(x, y, r, 0, 2 * Math.PI);
    context.clip();
    drawCells(context, cells, x - r, y - r, 2 * r, tile);
    context.restore();
  });
}
