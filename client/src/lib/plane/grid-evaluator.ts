/**
 * Where the plane pictures' grid is evaluated: in a worker where the browser has them
 * (grid-worker.ts), else on the page (tests in Node, a browser without module workers).
 */
import type { GridReply, GridRequest } from './grid-messages';

export interface GridEvaluator {
  /** Every layer's activations over the grid; rejects for weights of another shape. */
  evaluate(request: Omit<GridRequest, 'id'>): Promise<Float64Array[]>;
  /** The evaluator cannot work (its worker failed to load): evaluate on the page instead. */
  readonly failed: boolean;
}

export class WorkerEvaluator implements GridEvaluator {
  #nextId = 0;
  readonly #waiting = new Map<
    number,
    { resolve: (activations: Float64Array[]) => void; reject: (error: Error) => void }
  >();

  failed = false;

  constructor(private readonly worker: Worker) {
    worker.onmessage = ({ data: reply }: MessageEvent<GridReply>) => {
      const waiting = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if ('error' in reply) waiting?.reject(new Error(reply.error));
      else waiting?.resolve(reply.activations);
    };
    // A worker that cannot load (a proxy that mangles it, a policy): nothing waits forever.
    worker.onerror = () => {
      this.failed = true;
      for (const { reject } of this.#waiting.values()) reject(new Error('the grid worker failed'));
      this.#waiting.clear();
    };
  }

  evaluate(request: Omit<GridRequest, 'id'>): Promise<Float64Array[]> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } satisfies GridRequest);
    });
  }
}

let shared: GridEvaluator | null | undefined;

/** The page's one worker (started at the first call), or null where there are none. */
export function workerEvaluator(): GridEvaluator | null {
  if (shared !== undefined) return shared;
  try {
    shared =
      typeof Worker === 'undefined'
        ? null
        : new WorkerEvaluator(
            new Worker(new URL('./grid-worker.ts', import.meta.url), { type: 'module' }),
          );
  } catch {
    shared = null;
  }
  return shared;
}
