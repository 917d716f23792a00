import type { PacerClock } from '../src/lib/socket/frame-pacer';

/** A clock that moves only when told: timers fire in `advance`, in time order. */
export class ManualClock implements PacerClock {
  #now = 1000;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #next = 0;
  now(): number {
    return this.#now;
  }
  setTimeout(callback: () => void, ms: number): number {
    this.#timers.set(++this.#next, { at: this.#now + ms, callback });
    return this.#next;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  /** Timers set and not yet fired. */
  get pending(): number {
    return this.#timers.size;
  }
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = [...this.#timers]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at);
      if (due.length === 0) break;
      const [id, timer] = due[0]!;
      this.#timers.delete(id);
      this.#now = timer.at;
      timer.callback();
    }
    this.#now = end;
  }
}
