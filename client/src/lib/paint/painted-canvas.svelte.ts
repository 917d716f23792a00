/**
 * A component's canvas and its painter (painter.ts): the painter is made for the canvas
 * element at the first paint and again for a new element; if its worker cannot run,
 * `onPage` turns true, and the component gives a new canvas element (`{#key}`), which is
 * then drawn on the page.
 */
import type { CanvasSize, DenseScene } from './dense-draw';
import type { FigureAlign, FigureLook } from './figure-draw';
import type { DiagramLayout } from '../view/diagram-layout';
import { denseWire, type Scene } from './paint-messages';
import { canvasPainter, type Painter, type ReportListener } from './painter';

export class PaintedCanvas {
  /** The worker failed: paint a new canvas element on the page. */
  onPage = $state(false);
  #painter: Painter | null = null;
  #canvas: HTMLCanvasElement | null = null;
  /** The dense layout and the figure's look the painter has. */
  #layout: DiagramLayout | null = null;
  /**
   * The dense diagram's weights, flattened into the same array at every state: copied to the
   * worker by postMessage, not moved, so that a state drawn leaves no new array behind (a
   * 3-16-16-1 network's weights come four times a second, the largest's are 165 KB).
   */
  #weights: Float64Array | undefined = undefined;
  #look: FigureLook | null = null;

  readonly #listen: ReportListener | undefined;

  /** `listen`: what the scenes report (a heatmap's share of blue). */
  constructor(listen?: ReportListener) {
    this.#listen = listen;
  }

  paint(canvas: HTMLCanvasElement, scene: Scene, transfer?: Transferable[]): void {
    if (canvas !== this.#canvas) {
      this.#painter?.dispose();
      this.#canvas = canvas;
      this.#layout = null;
      this.#look = null;
      this.#painter = canvasPainter(canvas, () => (this.onPage = true), this.onPage, this.#listen);
    }
    this.#painter?.paint(scene, transfer);
  }

  /** A diagram drawn as a dense one (dense-draw.ts), its layout sent only when it changed. */
  paintDense(canvas: HTMLCanvasElement, size: CanvasSize, scene: DenseScene): void {
    const wire = denseWire(
      size,
      scene,
      canvas === this.#canvas ? this.#layout : null,
      this.#weights,
    );
    this.paint(canvas, wire);
    this.#layout = scene.layout;
    this.#weights = wire.weights;
  }

  /** A figure (figure-draw.ts), its look sent only when it changed. */
  paintFigure(
    canvas: HTMLCanvasElement,
    text: string,
    look: FigureLook,
    fit: number,
    align: FigureAlign,
  ): void {
    const sent = canvas === this.#canvas ? this.#look : null;
    this.paint(canvas, {
      type: 'figure',
      text,
      fit,
      align,
      ...(look === sent ? {} : { look: { ...look } }),
    });
    this.#look = look;
  }

  dispose(): void {
    this.#painter?.dispose();
    this.#painter = null;
    this.#canvas = null;
  }
}
