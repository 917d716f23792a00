/**
 * Device pixels per CSS pixel of the canvases that are redrawn during play (the dense
 * diagram, the plane pictures): at most 2. A phone at 3× would otherwise redraw 2.25 times
 * as many pixels at every update, rasterized on its main thread where there is no GPU
 * canvas, for edges that gain little from them (a 64×64 grid scaled up smoothly, none).
 */
export function canvasRatio(): number {
  return Math.min(2, globalThis.devicePixelRatio || 1);
}
