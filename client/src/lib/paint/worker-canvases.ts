/**
 * The paint worker's canvases (paint-worker.ts): each canvas the page handed over, what it
 * keeps between scenes, and the worker's one plane grid. A plane scene (the heatmap, the unit
 * pictures) evaluates its network over the plane, the one heavy piece of work here (a few ms
 * for a small network, a hundred or more for the largest): those wait for a round of their
 * own, after the messages already queued, and only the newest of each canvas is drawn. A
 * worker slower than the states it is sent then draws fewer of them, never late ones, and
 * its other canvases (the figures of play) do not wait behind a queue of evaluations.
 */
import type { PaintMessage, Scene } from './paint-messages';
import { paintScene, type PaintReport, type SceneCache } from './paint-scene';
import { PlaneGrids } from '../plane/plane-paint';
import type { Canvas } from './canvas';

/** What the worker tells the page: a canvas's report (PaintReport), when it changed. */
export interface PaintReply {
  id: number;
  report: PaintReport;
}

interface Drawn {
  canvas: Canvas;
  cache: SceneCache;
  /** The last report sent for this canvas, as JSON. */
  reported?: string;
}

export class WorkerCanvases {
  readonly grids = new PlaneGrids();
  readonly #canvases = new Map<number, Drawn>();
  /** The newest plane scene of each canvas, waiting for the next round. */
  readonly #waiting = new Map<number, Scene>();
  #round = false;

  constructor(
    /** Runs `round` as a task after those already queued (setTimeout 0 in the worker). */
    private readonly schedule: (round: () => void) => void,
    private readonly reply: (reply: PaintReply) => void,
  ) {}

  receive(messages: readonly PaintMessage[]): void {
    for (const message of messages) {
      if (message.kind === 'canvas') {
        this.#canvases.set(message.id, { canvas: message.canvas, cache: {} });
      } else if (message.kind === 'drop') {
        this.#canvases.delete(message.id);
        this.#waiting.delete(message.id);
      } else if (message.scene.type === 'heatmap' || message.scene.type === 'pictures') {
        this.#waiting.set(message.id, message.scene);
        if (!this.#round) {
          this.#round = true;
          this.schedule(() => this.#paintWaiting());
        }
      } else {
        this.#paint(message.id, message.scene);
      }
    }
  }

  #paintWaiting(): void {
    this.#round = false;
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    for (const [id, scene] of waiting) this.#paint(id, scene);
  }

  #paint(id: number, scene: Scene): void {
    const drawn = this.#canvases.get(id);
    if (!drawn) return;
    const report = paintScene(drawn.canvas, scene, drawn.cache, this.grids);
    if (!report) return;
    const said = JSON.stringify(report);
    if (said === drawn.reported) return;
    drawn.reported = said;
    this.reply({ id, report });
  }
}
