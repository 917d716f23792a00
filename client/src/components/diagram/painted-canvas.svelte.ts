/**
 * A component's diagram canvas and its painter (painter.ts): the painter is made for the
 * canvas element at the first paint and again for a new element; if its worker cannot run,
 * `onPage` turns true, and the component gives a new canvas element (`{#key}`), which is
 * then drawn on the page.
 */
import type { CanvasSize, DenseScene } from './draw';
import { canvasPainter, type Painter } from './painter';

export class PaintedCanvas {
  /** The worker failed: paint a new canvas element on the page. */
  onPage = $state(false);
  #painter: Painter | null = null;
  #canvas: HTMLCanvasElement | null = null;

  paint(canvas: HTMLCanvasElement, size: CanvasSize, scene: DenseScene): void {
    if (canvas !== this.#canvas) {
      this.#painter?.dispose();
      this.#canvas = canvas;
      this.#painter = canvasPainter(canvas, () => (this.onPage = true), this.onPage);
    }
    this.#painter?.paint(size, scene);
  }

  dispose(): void {
    this.#painter?.dispose();
    this.#painter = null;
    this.#canvas = null;
  }
}
