/**
 * Who draws a canvas that changes in play (a dense diagram, the fast-play picture, the plane
 * pictures): the page's one paint worker through an OffscreenCanvas where the browser has
 * them (paint-worker.ts), else the page itself. A phone ×4 spent ~8 ms of a frame on the page
 * rasterizing a canvas and handing it to the compositor at each state drawn; with the worker
 * the page's part is a message.
 */
import type { PaintMessage, Scene } from './paint-messages';
import { paintScene, type SceneCache } from './paint-scene';

export interface Painter {
  /** Draws `scene`; `transfer`: its typed arrays' buffers, moved to the worker. */
  paint(scene: Scene, transfer?: Transferable[]): void;
  dispose(): void;
}

/** Draws on the page: where there is no worker or no OffscreenCanvas. */
function pagePainter(canvas: HTMLCanvasElement): Painter {
  const cache: SceneCache = {};
  return { paint: (scene) => paintScene(canvas, scene, cache), dispose: () => {} };
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
  // A worker that cannot load (a proxy that mangles it, a policy) has the canvases: their
  // components draw on new ones on the page.
  worker.onerror = () => {
    state.broken = true;
    worker.terminate();
    for (const failed of state.failed.values()) failed();
    state.failed.clear();
  };
  return (shared = state);
}

function workerPainter(canvas: HTMLCanvasElement, failed: () => void): Painter {
  const { post, failed: waiting } = paintWorker();
  const id = nextId++;
  const offscreen = canvas.transferControlToOffscreen();
  waiting.set(id, failed);
  post({ kind: 'canvas', id, canvas: offscreen }, [offscreen]);
  return {
    paint: (scene, transfer) => post({ kind: 'scene', id, scene }, transfer),
    dispose() {
      waiting.delete(id);
      post({ kind: 'drop', id });
    },
  };
}

/**
 * A painter for `canvas`. With the worker, the canvas is the worker's from then on, and
 * `failed` is called if the worker cannot run: the caller then asks for a painter `onPage`
 * for a new canvas element.
 */
export function canvasPainter(
  canvas: HTMLCanvasElement,
  failed: () => void,
  onPage = false,
): Painter {
  const workers = typeof Worker !== 'undefined' && 'transferControlToOffscreen' in canvas;
  if (onPage || !workers || shared?.broken) return pagePainter(canvas);
  try {
    return workerPainter(canvas, failed);
  } catch {
    return pagePainter(canvas);
  }
}
