/**
 * A canvas laid exactly over (or under) a drawing: the unit pictures over the diagram, the
 * diagram's fast-play picture under its SVG. The canvas is absolutely placed in the offset
 * parent it shares with the drawing (scrolling with it), follows the drawing's size, and has
 * canvasRatio() device pixels per CSS pixel.
 */
import { canvasRatio } from './canvas-ratio';

/** Where the drawing is, in CSS pixels of the canvas's offset parent. */
export interface OverlayBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const NO_BOX: OverlayBox = { left: 0, top: 0, width: 0, height: 0 };

/**
 * Watches `target`'s size; at each change calls `placed` with the box to give the canvas (its
 * style) and the canvas's size in device pixels, after which the caller sizes the canvas
 * (unless a worker has it) and repaints. Returns the cleanup.
 */
export function followDrawing(
  target: Element,
  canvas: () => HTMLCanvasElement | undefined,
  placed: (box: OverlayBox, pixels: { width: number; height: number }) => void,
): () => void {
  const sized = new ResizeObserver(() => {
    const rect = target.getBoundingClientRect();
    // The canvas of the moment: a painter whose worker failed draws on a new one.
    const scroller = canvas()?.offsetParent as HTMLElement | null;
    if (!scroller) return;
    const parent = scroller.getBoundingClientRect();
    const box = {
      left: rect.left - parent.left + scroller.scrollLeft,
      top: rect.top - parent.top + scroller.scrollTop,
      width: rect.width,
      height: rect.height,
    };
    placed(box, {
      width: Math.round(rect.width * canvasRatio()),
      height: Math.round(rect.height * canvasRatio()),
    });
  });
  sized.observe(target);
  return () => sized.disconnect();
}
