/**
 * Talking to the server the way a client does: commands with acknowledgements, waiting
 * for events, and a mirror that reduces the session state from a snapshot plus events
 * exactly as the browser will (and notices gaps and duplicates).
 */
import {
  fromWire,
  type CommandName,
  type CommandReplies,
  type Result,
  type SkippedSeqs,
  type Sync,
  type WireEvent,
} from '@backprop/shared/protocol';
import { applyEvent, type SessionEvent, type SessionState } from '@backprop/shared/session';
import type { Client } from './server';

/** Bounded waits: a condition that never comes fails the test instead of hanging it. */
export const WAIT_MS = 5000;

/** Sends a command (any payload, valid or not) and resolves with its acknowledgement. */
export function emitAck<C extends CommandName>(
  socket: Client,
  command: C,
  payload: unknown,
): Promise<Result<CommandReplies[C]>> {
  return emitRaw(socket, command, payload) as Promise<Result<CommandReplies[C]>>;
}

/** Sends an event with arbitrary arguments and an ack as the last one. */
export function emitRaw(socket: Client, event: string, ...args: unknown[]): Promise<unknown> {
  const emit = socket.timeout(WAIT_MS).emitWithAck as unknown as (
    event: string,
    ...args: unknown[]
  ) => Promise<unknown>;
  return emit.call(socket.timeout(WAIT_MS), event, ...args);
}

/** Sends an event with arbitrary arguments and no ack (fire and forget). */
export function emitNoAck(socket: Client, event: string, ...args: unknown[]): void {
  (socket.emit as (event: string, ...args: unknown[]) => void)(event, ...args);
}

/** Like emitAck, but fails the test unless the command succeeded. */
export async function ok<C extends CommandName>(
  socket: Client,
  command: C,
  payload: unknown,
): Promise<{ ok: true } & CommandReplies[C]> {
  const result = await emitAck(socket, command, payload);
  if (!result.ok)
    throw new Error(`${command} failed: ${result.error.code}: ${result.error.message}`);
  return result;
}

/**
 * Listens to `session:events` as the browser does: acknowledges each message (so the
 * server's outbox sends the next frame) and decodes the wire's frames. `ackDelayMs`: a
 * client that takes that long to handle a message (a slow phone). Returns `off`.
 */
export function onEvents(
  socket: Client,
  listener: (events: SessionEvent[], skipped: SkippedSeqs) => void,
  ackDelayMs = 0,
): () => void {
  const wrapped = (events: WireEvent[], skipped: SkippedSeqs, ack?: () => void) => {
    if (ack && ackDelayMs > 0) setTimeout(ack, ackDelayMs);
    else ack?.();
    listener(events.map(fromWire), skipped);
  };
  socket.on('session:events', wrapped);
  return () => socket.off('session:events', wrapped);
}

/** The next session event (from now on) that satisfies `predicate`. */
export function waitForEvent(
  socket: Client,
  predicate: (event: SessionEvent) => boolean = () => true,
  timeoutMs = WAIT_MS,
): Promise<SessionEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for a session event'));
    }, timeoutMs);
    const off = onEvents(socket, (events) => {
      const event = events.find(predicate);
      if (!event) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

/** Resolves when `check()` is true, polling briefly; fails after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves on the socket's next named event (disconnect, session:kicked, …). */
export function once(socket: Client, event: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), WAIT_MS);
    (socket as unknown as { once(e: string, l: (...a: unknown[]) => void): void }).once(
      event,
      (...args) => {
        clearTimeout(timer);
        resolve(args);
      },
    );
  });
}

/**
 * A client's copy of the session: listens from construction, buffers events until it has
 * a base (a sync), then applies them in order. Gaps and duplicates are counted, never
 * silently tolerated, so tests can assert there were none. Frames the server dropped for
 * this client (its outbox: the client was slow) are counted apart, in `skippedFrames`.
 */
export class Mirror {
  state: SessionState | null = null;
  /** Every event received, in arrival order. */
  readonly received: SessionEvent[] = [];
  gaps = 0;
  duplicates = 0;
  skippedFrames = 0;
  private pending: SessionEvent[] = [];
  private skipped: SkippedSeqs = [];

  constructor(
    readonly socket: Client,
    options: { ackDelayMs?: number } = {},
  ) {
    onEvents(
      socket,
      (events, skipped) => {
        for (const range of skipped) {
          this.skipped.push(range);
          this.skippedFrames += range[1] - range[0] + 1;
        }
        for (const event of events) {
          this.received.push(event);
          if (this.state) this.apply(event);
          else this.pending.push(event);
        }
        this.passSkipped();
      },
      options.ackDelayMs,
    );
  }

  get seq(): number {
    return this.state?.seq ?? 0;
  }

  /** Takes a sync reply (create, join, resume, sync) as the base or as catch-up events. */
  sync(sync: Sync): void {
    if (sync.kind === 'snapshot') {
      this.state = sync.state;
    } else {
      if (!this.state) throw new Error('events without a base state');
      for (const event of sync.events) this.apply(event);
    }
    // Events that arrived before the reply and are already in it are not duplicates.
    const pending = this.pending.filter((event) => event.seq > this.seq);
    this.pending = [];
    for (const event of pending) this.apply(event);
  }

  /** Waits until this mirror has applied seq `seq`. */
  async reach(seq: number): Promise<SessionState> {
    await waitUntil(() => this.seq >= seq);
    return this.state!;
  }

  /** Dropped seqs right after the state are passed over: they are no gap. */
  private passSkipped(): void {
    for (const [from, to] of this.skipped) {
      if (this.state && from <= this.state.seq + 1 && to > this.state.seq) {
        this.state = { ...this.state, seq: to };
      }
    }
  }

  private apply(event: SessionEvent): void {
    this.passSkipped();
    const state = this.state!;
    if (event.seq <= state.seq) {
      this.duplicates++;
      return;
    }
    if (event.seq !== state.seq + 1) this.gaps++;
    this.state = applyEvent(state, event);
  }
}
