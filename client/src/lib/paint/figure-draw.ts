/**
 * Draws a figure (ui/Figure.svelte: a number that changes at every state of play) on its own
 * small canvas, as the page would have set it in text: its font and colour, at the end of its
 * box, on the baseline of the line around it. Drawn by the paint worker, a new figure costs
 * the page a message and an attribute (its accessible name), not a frame: any change to the
 * page's text, however small and contained, makes the browser render a frame (style, layout,
 * paint, commit), ~5 ms of a phone ×4's main thread in bench:client's floor.
 */
import { sizeCanvas, type Canvas } from './canvas';

/** How the page sets a figure's text, read off its element (figureLook). */
export interface FigureLook {
  /** The canvas's size in device pixels. */
  width: number;
  height: number;
  /** Device pixels per CSS pixel. */
  ratio: number;
  /** The element's font style, weight and family, and its size and line height in CSS px. */
  style: string;
  weight: string;
  family: string;
  sizePx: number;
  lineHeightPx: number;
  color: string;
}

export interface FigureScene {
  type: 'figure';
  text: string;
  /** Absent: the look sent before (a figure's look changes only with its canvas's size). */
  look?: FigureLook;
  /**
   * The share of the canvas's width that its box shows (the canvas is wider: spareWidth in
   * lib/view/steady-width.ts); the text is narrowed to fit it. Absent: 1, all of it.
   */
  fit?: number;
  /**
   * Where the text stands in its box: at its end (in a line of text, the box's spare room
   * falls before the number, next to its words) or at its start (a number on a line of its
   * own reads as the text would: flush left). Absent: the end.
   */
  align?: FigureAlign;
}

export type FigureAlign = 'start' | 'end';

export function paintFigure(
  canvas: Canvas,
  text: string,
  look: FigureLook,
  fit = 1,
  align: FigureAlign = 'end',
): void {
  sizeCanvas(canvas, look.width, look.height);
  const context = canvas.getContext('2d') as CanvasRenderingContext2D | null;
  if (!context) return;
  context.clearRect(0, 0, look.width, look.height);
  context.font = `${look.style} ${look.weight} ${look.sizePx * look.ratio}px ${look.family}`;
  context.fillStyle = look.color;
  context.textAlign = align;
  context.textBaseline = 'alphabetic';
  // CSS puts a line's text in the middle of its line height (half the leading above, half
  // below the font's ascent and descent): the baseline is where the DOM would have it.
  const metrics = context.measureText(text);
  const ascent = metrics.fontBoundingBoxAscent;
  const descent = metrics.fontBoundingBoxDescent;
  const baseline = (look.lineHeightPx * look.ratio - (ascent + descent)) / 2 + ascent;
  // A text wider than its box (NaN, ∞ in a box sized in digits) is narrowed to fit, not cut.
  // The canvas sits at the same side of its box as the text (Figure.svelte).
  const x = align === 'start' ? 0 : look.width;
  context.fillText(text, x, baseline, look.width * Math.min(1, fit));
}

/** The look of `element` (a figure's canvas, laid out) for a canvas `ratio` times denser. */
export function figureLook(element: Element, ratio: number): FigureLook {
  const css = getComputedStyle(element);
  const rect = element.getBoundingClientRect();
  const sizePx = parseFloat(css.fontSize) || 16;
  return {
    width: Math.max(1, Math.round(rect.width * ratio)),
    height: Math.max(1, Math.round(rect.height * ratio)),
    ratio,
    style: css.fontStyle,
    weight: css.fontWeight,
    family: css.fontFamily,
    sizePx,
    lineHeightPx: parseFloat(css.lineHeight) || rect.height || sizePx * 1.2,
    color: css.color,
  };
}
