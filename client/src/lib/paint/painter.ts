/**
 * Who draws a canvas that changes in play (a dense diagram, the fast-play picture, the plane
 * pictures): the page's one paint worker through an OffscreenCanvas where the browser has
 * them (paint-worker.ts), else the page itself. A phone ×4 spent ~8 ms of a frame on the page
 * rasterizing a canvas and handing it to the compositor at each state drawn; with the worker
 * the page's part is a message.
 */
import type { PaintMessage, Scene } from './paint-messages';
import { paintScene, type PaintReport, type SceneCache } from './paint-scene';
import { PlaneGrids } from '../plane/plane-paint';
import type { PaintReply } from './worker-canvases';

export interface Painter {
  /** Draws `scene`; `transfer`: its typed arrays' buffers, moved to the worker. */
  paint(scene: Scene, transfer?: Transferable[]): void;
  dispose(): void;
}

/** What a canvas's scenes tell the page (a heatmap's share of blue). */
export type ReportListener = (report: PaintReport) => void;

/** The page's plane grid, for the canvases it draws itself. */
let pageGrids: PlaneGrids | null = null;

/** Draws on the page: where there is no worker or no OffscreenCanvas. */
function pagePainter(canvas: HTMLCanvasElement, listen: ReportListener): Painter {
  const cache: SceneCache = {};
  const grids = (pageGrids ??= new PlaneGrids());
  return {
    paint(scene) {
      const report = paintScene(canvas, scene, cache, grids);
      if (report) listen(report);
    },
    dispose: () => {},
  };
}

/**
 * The page's paint worker, started at the first worker painter, with who to tell if it fails,
 * and the messages of the task under way. They travel as one message at its end: a state of
 * play draws several canvases (the diagram, each figure: ui/Figure.svelte), and each message
 * cost a phone ×4 about 0.55 ms of its main thread (timed around postMessage in play).
 */
interface Shared {
  worker: Worker;
  failed: Map<number, () => void>;
  listeners: Map<number, ReportListener>;
  broken: boolean;
  post(message: PaintMessage, transfer?: Transferable[]): void;
}
let shared: Shared | null = null;
let nextId = 0;

function paintWorker(): Shared {
  if (shared) return shared;
  const worker = new Worker(new URL('./paint-worker.ts', import.meta.url), { type: 'module' });
  let batch: { messages: PaintMessage[]; transfer: Transferable[] } | null = null;
  const state: Shared = {
    worker,
    failed: new Map<number, () => void>(),
    listeners: new Map<number, ReportListener>(),
    broken: false,
    post(message, transfer = []) {
      if (!batch) {
        batch = { messages: [], transfer: [] };
        queueMicrotask(() => {
          const { messages, transfer } = batch!;
          batch = null;
          if (!state.broken) worker.postMessage(messages, transfer);
        });
      }
      batch.messages.push(message);
      batch.transfer.push(...transfer);
    },
  };
  worker.onmessage = ({ data: { id, report } }: MessageEvent<PaintReply>) =>
    state.listeners.get(id)?.(report);
  // A worker that cannot load (a proxy that mangles it, a policy) has the canvases: their
  // components draw on new ones on the page.
  worker.onerror = () => {
    state.broken = true;
    worker.terminate();
    for (const failed of state.failed.values()) failed();
    state.failed.clear();
    state.listeners.clear();
  };
  return (shared = state);
}

function workerPainter(
  canvas: HTMLCanvasElement,
  failed: () => void,
  listen: ReportListener,
): Painter {
  const { post, failed: waiting, listeners } = paintWorker();
  const id = nextId++;
  const offscreen = canvas.transferControlToOffscreen();
  waiting.set(id, failed);
  listeners.set(id, listen);
  post({ kind: 'canvas', id, canvas: offscreen }, [offscreen]);
  return {
    paint: (scene, transfer) => post({ kind: 'scene', id, scene }, transfer),
    dispose() {
      waiting.delete(id);
      listeners.delete(id);
      post({ kind: 'drop', id });
    },
  };
}

/**
 * A painter for `canvas`. With the worker, the canvas is the worker's from then on, and
 * `failed` is called if the worker cannot run: the caller then asks for a painter `onPage`
 * for a new canvas element. `listen` hears what the scenes report (from the worker, when it
 * changed).
 */
export function canvasPainter(
  canvas: HTMLCanvasElement,
  failed: () => void,
  onPage = false,
  listen: ReportListener = () => {},
): Painter {
  const workers = typeof Worker !== 'undefined' && 'transferControlToOffscreen' in canvas;
  if (onPage || !workers || shared?.broken) return pagePainter(canvas, listen);
  try {
    return workerPainter(canvas, failed, listen);
  } catch {
    return pagePainter(canvas, listen);
  }
}
