/**
 * Canvases that work on the page and in a worker (paint-worker.ts): an OffscreenCanvas where
 * there is one, else a canvas element.
 */
export type Canvas = HTMLCanvasElement | OffscreenCanvas;
export type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export function newCanvas(width: number, height: number): Canvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** Sets a canvas's size only when it changes (setting it clears the canvas, even to the same). */
export function sizeCanvas(canvas: Canvas, width: number, height: number): void {
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
}
