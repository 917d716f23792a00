/**
 * Draws a network on a canvas: one pass per state, no DOM per weight. A dense network
 * (DenseDiagram.svelte) always; a small one while play runs fast (FastPlayPicture.svelte,
 * under its SVG). Lines for small weight matrices, a heatmap for large ones (drawnAsMatrix),
 * units shaded by their activation, the stage bands and the selection. Geometry comes from
 * the pure layout (diagram-layout.ts), in viewBox units; the caller sets the scale.
 */
import type { Selection } from '../view/selection';
import {
  drawnAsMatrix,
  edgeWidth,
  matrixRect,
  maxAbs,
  type DiagramLayout,
} from '../view/diagram-layout';
import { PALETTE, signColor } from '../view/palette';
import { newCanvas, sizeCanvas, type Canvas, type Context2D } from './canvas';

export interface DenseScene {
  layout: DiagramLayout;
  layers: readonly number[];
  weights: readonly (readonly (readonly number[])[])[];
  /** Activations per layer (input values first), where the trace has them. */
  activations: readonly (readonly number[] | null | undefined)[];
  selected: Selection | null;
  bands: { x: number; width: number; kind: 'current' | 'next' }[];
}

const POSITIVE = [0x21, 0x66, 0xac] as const;
const NEGATIVE = [0xb3, 0x58, 0x06] as const;

/** A weight's colour on white: the sign's colour, stronger for a larger |w|. */
function shade(value: number, max: number): [number, number, number] {
  const t = max > 0 && Number.isFinite(value) ? Math.min(1, Math.abs(value) / max) : 0;
  const end = value < 0 ? NEGATIVE : POSITIVE;
  return [255 + (end[0] - 255) * t, 255 + (end[1] - 255) * t, 255 + (end[2] - 255) * t];
}

const css = ([r, g, b]: [number, number, number]) =>
  `rgb(${Math.round(r)} ${Math.round(g)} ${Math.round(b)})`;

/** A canvas's size in device pixels, and device pixels per viewBox unit. */
export interface CanvasSize {
  width: number;
  height: number;
  scale: number;
}

/** Sizes `canvas` (only when that changes: a new size clears it) and draws `scene` on it. */
export function paintDense(canvas: Canvas, size: CanvasSize, scene: DenseScene): void {
  sizeCanvas(canvas, size.width, size.height);
  const ctx = canvas.getContext('2d') as Context2D | null;
  if (!ctx) return;
  ctx.setTransform(size.scale, 0, 0, size.scale, 0, 0);
  drawDense(ctx, scene);
}

export function drawDense(ctx: Context2D, scene: DenseScene): void {
  const { layout, layers, weights } = scene;
  ctx.clearRect(0, 0, layout.width, layout.height);

  for (const band of scene.bands) {
    ctx.beginPath();
    ctx.roundRect(band.x, 2, band.width, layout.height - 4, 10);
    if (band.kind === 'current') {
      ctx.fillStyle = PALETTE.stageDone;
      ctx.fill();
    } else {
      ctx.setLineDash([5, 4]);
      ctx.strokeStyle = PALETTE.stageNext;
      ctx.lineWidth = 1.5;
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  const max = maxAbs(weights.flat());
  for (let layer = 0; layer < weights.length; layer++) {
    const matrix = weights[layer] ?? [];
    if (drawnAsMatrix(layout, layers, layer)) drawMatrix(ctx, scene, layer, matrix, max);
    else drawLines(ctx, layout, layer, matrix, max);
  }
  drawUnits(ctx, scene);
}

function drawLines(
  ctx: Context2D,
  layout: DiagramLayout,
  layer: number,
  matrix: readonly (readonly number[])[],
  max: number,
): void {
  // As the SVG draws them: a dense diagram's edges thinner and translucent where they cross.
  ctx.globalAlpha = layout.dense ? 0.6 : 1;
  for (const e of layout.edges) {
    if (e.layer !== layer) continue;
    const w = matrix[e.to]?.[e.from] ?? 0;
    ctx.beginPath();
    ctx.moveTo(e.x1, e.y1);
    ctx.lineTo(e.x2, e.y2);
    ctx.strokeStyle = signColor(w);
    ctx.setLineDash(w < 0 ? [6, 4] : []);
    ctx.lineWidth = edgeWidth(w, max, layout.dense);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

/** One pixel per weight in an image, scaled up without smoothing: cheap at any size. */
function drawMatrix(
  ctx: Context2D,
  scene: DenseScene,
  layer: number,
  matrix: readonly (readonly number[])[],
  max: number,
): void {
  const rect = matrixRect(scene.layout, scene.layers, layer);
  const image = new ImageData(rect.columns, rect.rows);
  for (let to = 0; to < rect.rows; to++) {
    for (let from = 0; from < rect.columns; from++) {
      const [r, g, b] = shade(matrix[to]?.[from] ?? 0, max);
      const at = (to * rect.columns + from) * 4;
      image.data[at] = r;
      image.data[at + 1] = g;
      image.data[at + 2] = b;
      image.data[at + 3] = 255;
    }
  }
  const bitmap = matrixCanvas(image);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bitmap, rect.x, rect.y, rect.width, rect.height);
  ctx.strokeStyle = PALETTE.muted;
  ctx.lineWidth = 0.5;
  ctx.strokeRect(rect.x, rect.y, rect.width, rect.height);
  const s = scene.selected;
  if (s?.kind === 'weight' && s.layer === layer) {
    ctx.strokeStyle = PALETTE.focus;
    ctx.lineWidth = 1.5;
    const cellW = rect.width / rect.columns;
    const cellH = rect.height / rect.rows;
    ctx.strokeRect(rect.x + s.from * cellW, rect.y + s.to * cellH, cellW, cellH);
  }
}

/**
 * A small canvas reused for every matrix (drawImage needs an image source, not ImageData);
 * an OffscreenCanvas, which a worker has too (lib/paint/paint-worker.ts).
 */
let scratch: Canvas | null = null;
function matrixCanvas(image: ImageData): Canvas {
  scratch ??= newCanvas(1, 1);
  scratch.width = image.width;
  scratch.height = image.height;
  (scratch.getContext('2d') as Context2D).putImageData(image, 0, 0);
  return scratch;
}

function drawUnits(ctx: Context2D, scene: DenseScene): void {
  const { layout, activations, selected } = scene;
  const maxByLayer = activations.map((a) => maxAbs(a ? [a] : []));
  for (const u of layout.units) {
    const a = activations[u.layer]?.[u.unit];
    ctx.beginPath();
    ctx.arc(u.x, u.y, layout.radius, 0, 2 * Math.PI);
    ctx.fillStyle = a === undefined ? PALETTE.unitFill : css(shade(a, maxByLayer[u.layer] ?? 0));
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = PALETTE.unitStroke;
    ctx.stroke();
    if (selected?.kind === 'unit' && selected.layer === u.layer && selected.unit === u.unit) {
      ctx.beginPath();
      ctx.arc(u.x, u.y, layout.radius + 3, 0, 2 * Math.PI);
      ctx.lineWidth = 3;
      ctx.strokeStyle = PALETTE.selected;
      ctx.stroke();
    }
  }
  const s = selected;
  if (s?.kind === 'weight' && !drawnAsMatrix(layout, scene.layers, s.layer)) {
    const e = layout.edges.find((e) => e.layer === s.layer && e.to === s.to && e.from === s.from);
    if (e) {
      ctx.beginPath();
      ctx.moveTo(e.x1, e.y1);
      ctx.lineTo(e.x2, e.y2);
      ctx.lineWidth = 4;
      ctx.strokeStyle = PALETTE.selected;
      ctx.stroke();
    }
  }
}
