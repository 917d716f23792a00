/**
 * Long work (a 50 MB import or export) in slices: the server has one event loop for every
 * class, and a step acknowledged 2 s late freezes a lesson. Work calls pause() often; it
 * yields to the event loop (setImmediate: after pending I/O, timers and socket messages)
 * once a slice of SLICE_MS has run, so other rooms wait at most about one slice.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';

export const SLICE_MS = 8;

export class Pacer {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Whether this slice has run its time: pause() would yield now. */
  due(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  async pause(): Promise<void> {
    if (!this.due()) return;
    await setImmediate();
    this.sliceStart = performance.now();
  }
}
