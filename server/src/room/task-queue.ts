/**
 * Runs tasks one at a time, in the order they were queued: the commands of one room (and
 * its play frames) never interleave, even once handlers await the store.
 */
export class TaskQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one whether it succeeded or failed, and then for the
    // next turn of the event loop: whoever awaits `result` (a command's acknowledgement,
    // sent a few microtasks later) runs first. So a resume's reply, which holds the events
    // up to its seq, always leaves before the event the next task broadcasts: no client
    // sees seq n+1 before the reply that ends at n.
    this.tail = result.catch(() => undefined).then(nextTurn);
    return result;
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
