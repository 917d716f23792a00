import type { SendError } from './attempts';

export interface ReplyText {
  tone: 'ok' | 'error';
  text: string;
}

/**
 * The line under a button that says how its last press went ("Your vote is in", or the
 * server's refusal). A rate limit's refusal ("try again in 3 s") goes when its wait is
 * over: a minute later it would be wrong. Other messages stay until the next press.
 */
export class ReplyMessage {
  /** Raw: compared by identity when a wait ends, so a newer message is never cleared. */
  current: ReplyText | null = $state.raw(null);
  #timer: ReturnType<typeof setTimeout> | undefined;

  ok(text: string): void {
    this.#show({ tone: 'ok', text });
  }

  error(error: SendError): void {
    const shown = this.#show({ tone: 'error', text: error.message });
    if (error.retryAfterMs === undefined) return;
    this.#timer = setTimeout(() => {
      if (this.current === shown) this.current = null;
    }, error.retryAfterMs);
  }

  clear(): void {
    this.#show(null);
  }

  /** For the component's teardown: no timer outlives the card. */
  dispose(): void {
    clearTimeout(this.#timer);
  }

  #show<T extends ReplyText | null>(message: T): T {
    clearTimeout(this.#timer);
    this.current = message;
    return message;
  }
}
