/**
 * Runs tasks one at a time, in the order they were queued: the commands of one room (and
 * its play frames) never interleave, even once handlers await the store.
 */
export class TaskQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one whether it succeeded or failed.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
