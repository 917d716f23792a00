/**
 * Canvas drawing of the plane pictures: a grid of values painted once into a small canvas
 * (one pixel per cell) and scaled up smoothly, and the data points on top. Training points
 * are solid, test points hollow rings, both outlined in white so they read on any colour.
 */
import type { PlaneGrid } from './grid';
import { newCanvas, type Canvas, type Context2D } from '../paint/canvas';
import { heatRgb, paintCells, scaled, type Domain } from './heat-scale';
import type { PlanePoints } from './plane-view';

/**
 * One-pixel-per-cell pictures side by side in one canvas (`tiles` of them: every unit's
 * picture of a diagram), and their pixels, reused from frame to frame. One canvas for all:
 * drawing from a canvas that changed makes the browser take a snapshot of it first, so the
 * tiles are all painted, then all drawn (one snapshot a picture, not one a unit).
 */
export class CellCanvas {
  readonly canvas: Canvas;
  readonly #image: ImageData;
  readonly #context: Context2D;

  constructor(
    readonly resolution: number,
    readonly tiles = 1,
  ) {
    this.canvas = newCanvas(resolution * tiles, resolution);
    this.#context = this.canvas.getContext('2d') as Context2D;
    this.#image = this.#context.createImageData(resolution, resolution);
  }

  paint(values: Float64Array, domain: Domain, discretize: boolean, tile = 0): void {
    paintCells(values, domain, discretize, this.#image.data);
    this.#context.putImageData(this.#image, tile * this.resolution, 0);
  }
}

/** A tile's cells scaled to a square of `size` device pixels at (x, y). */
export function drawCells(
  context: Context2D,
  cells: CellCanvas,
  x: number,
  y: number,
  size: number,
  tile = 0,
): void {
  const r = cells.resolution;
  context.imageSmoothingEnabled = true;
  context.drawImage(cells.canvas, tile * r, 0, r, r, x, y, size, size);
}

function pointColour(label: number, domain: Domain, classification: boolean): string {
  const t = scaled(label, domain);
  const [r, g, b] = heatRgb(classification ? (t >= 0 ? 1 : -1) : t);
  return `rgb(${r} ${g} ${b})`;
}

export interface PointsOptions {
  extent: number;
  size: number;
  radius: number;
  showTest: boolean;
  domain: Domain;
  classification: boolean;
}

/** The data points over a picture of `size` device pixels showing [−extent, extent]². */
export function drawPoints(context: Context2D, points: PlanePoints, options: PointsOptions): void {
  const { extent, size, radius, domain, classification } = options;
  const at = (v: number) => ((v + extent) / (2 * extent)) * size;
  const ring = Math.max(1, radius * 0.35);
  const draw = (row: number, hollow: boolean) => {
    const x = at(points.raw[2 * row]!);
    const y = size - at(points.raw[2 * row + 1]!);
    const colour = pointColour(points.label[row]!, domain, classification);
    context.beginPath();
    context.arc(x, y, radius, 0, 2 * Math.PI);
    if (hollow) {
      context.lineWidth = ring + 2;
      context.strokeStyle = '#ffffff';
      context.stroke();
      context.lineWidth = ring;
      context.strokeStyle = colour;
      context.stroke();
    } else {
      context.fillStyle = colour;
      context.fill();
      context.lineWidth = Math.max(1, ring * 0.6);
      context.strokeStyle = '#ffffff';
      context.stroke();
    }
  };
  for (const row of points.trainRows) draw(row, false);
  if (options.showTest) for (const row of points.testRows) draw(row, true);
}

/** The share of cells on the positive side of the domain's middle (for the text alternative). */
export function positiveShare(grid: PlaneGrid, values: Float64Array, domain: Domain): number {
  let positive = 0;
  for (let c = 0; c < grid.cells; c++) if (scaled(values[c]!, domain) >= 0) positive += 1;
  return positive / grid.cells;
}
