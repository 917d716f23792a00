/**
 * A student's socket, run in a worker: the page's stand-in for it.
 *
 * Why: a phone ×4 spent ~3 ms of its main thread on every frame of play it received
 * (20 a second): the WebSocket message, Engine.IO's and Socket.IO's decoding, and the
 * acknowledgement's send, before the app's own handler. In a worker these run on another
 * core, and the page takes each message as one structured clone (bench:client measures it;
 * docs/benchmarks.md). The worker hands the page play frames at the page's pace
 * (frame-pacer.ts: the newest, when the page's handler has taken the last), so a page too
 * busy to take frames still gets fewer of them, not late ones.
 *
 * Where the worker cannot start or fails, the same object goes on with a socket on the
 * page (its listeners moved over): the connection resumes as after any reconnect.
 */
import type { HandshakeAuth } from '@backprop/shared/protocol';
import type { FromSocketWorker, SocketStatus, ToSocketWorker } from './socket-messages';
import { openSocket, type AppSocket } from './socket-options';

type Handler = (...args: unknown[]) => void;
type Reply = (...args: unknown[]) => void;

/** What Connection needs of a socket (connection.svelte.ts). */
export interface SessionSocket {
  readonly connected: boolean;
  readonly active: boolean;
  on(event: string, handler: Handler): unknown;
  removeAllListeners(): unknown;
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown };
  connect(): unknown;
  disconnect(): unknown;
}

export class WorkerSocket implements SessionSocket {
  #connected = false;
  #active = true;
  readonly #handlers = new Map<string, Handler[]>();
  readonly #replies = new Map<number, Reply>();
  #nextId = 0;
  #worker: Worker | null;
  /** The page's own socket, once the worker has failed. */
  #fallback: AppSocket | null = null;

  constructor(
    private readonly url: string | undefined,
    private readonly auth: HandshakeAuth,
    makeWorker: () => Worker = () =>
      new Worker(new URL('./socket-worker.ts', import.meta.url), { type: 'module' }),
  ) {
    const worker = startWorker(makeWorker);
    this.#worker = worker;
    if (!worker) {
      queueMicrotask(() => this.#fallBack());
      return;
    }
    worker.onmessage = ({ data }: MessageEvent<FromSocketWorker>) => this.#receive(data);
    worker.onerror = () => this.#fallBack();
    this.#post({ kind: 'open', url, auth });
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', this.#onVisibility);
      this.#onVisibility();
    }
  }

  /** Tells the worker whether the tab is hidden: it holds play frames meanwhile. */
  readonly #onVisibility = (): void =>
    this.#post({ kind: 'hidden', hidden: document.visibilityState === 'hidden' });

  get connected(): boolean {
    return this.#fallback?.connected ?? this.#connected;
  }

  get active(): boolean {
    return this.#fallback?.active ?? this.#active;
  }

  on(event: string, handler: Handler): this {
    this.#handlers.set(event, [...(this.#handlers.get(event) ?? []), handler]);
    this.#fallback?.on(event as 'connect', handler as () => void);
    return this;
  }

  removeAllListeners(): this {
    this.#handlers.clear();
    this.#fallback?.removeAllListeners();
    // Nobody listens any more: the page is done with this socket (Connection.close). The
    // worker disconnects it and ends itself (terminating it here could drop the goodbye).
    this.#post({ kind: 'close' });
    this.#stopWorker();
    return this;
  }

  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown } {
    return { emit: (event, ...args) => this.#emit(event, args, ms) };
  }

  connect(): this {
    this.#active = true;
    if (this.#fallback) this.#fallback.connect();
    else this.#post({ kind: 'connect' });
    return this;
  }

  disconnect(): this {
    this.#connected = false;
    this.#active = false;
    if (this.#fallback) this.#fallback.disconnect();
    else this.#post({ kind: 'disconnect' });
    return this;
  }

  #emit(event: string, args: unknown[], timeoutMs: number): void {
    const reply = typeof args.at(-1) === 'function' ? (args.pop() as Reply) : null;
    if (this.#fallback) {
      const target = this.#fallback.timeout(timeoutMs) as unknown as {
        emit(event: string, ...args: unknown[]): void;
      };
      target.emit(event, ...args, ...(reply ? [reply] : []));
      return;
    }
    const id = this.#nextId++;
    if (reply) this.#replies.set(id, reply);
    this.#post({ kind: 'emit', id, event, args, timeoutMs });
  }

  #receive(message: FromSocketWorker): void {
    switch (message.kind) {
      case 'connect':
        this.#status(message);
        return this.#fire('connect');
      case 'disconnect':
        this.#status(message);
        return this.#fire('disconnect', message.reason);
      case 'connect_error':
        this.#status(message);
        return this.#fire('connect_error', new Error(message.message));
      case 'event': {
        const { ackId } = message;
        const ack = ackId === null ? [] : [() => this.#post({ kind: 'ack', id: ackId })];
        return this.#fire(message.event, ...message.args, ...ack);
      }
      case 'reply': {
        const reply = this.#replies.get(message.id);
        this.#replies.delete(message.id);
        if (message.error === null) reply?.(null, ...message.args);
        else reply?.(new Error(message.error));
        return;
      }
    }
  }

  #status({ connected, active }: SocketStatus): void {
    this.#connected = connected;
    this.#active = active;
  }

  #fire(event: string, ...args: unknown[]): void {
    for (const handler of this.#handlers.get(event) ?? []) handler(...args);
  }

  #post(message: ToSocketWorker): void {
    this.#worker?.postMessage(message);
  }

  #stopWorker(): void {
    this.#worker = null;
    if (typeof document !== 'undefined')
      document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  /** The worker failed: a socket on the page takes over, with the same listeners. */
  #fallBack(): void {
    if (this.#fallback) return;
    this.#worker?.terminate();
    this.#stopWorker();
    // Commands waiting on the worker will not be answered: they time out as unanswered.
    for (const reply of this.#replies.values()) reply(new Error('the socket worker failed'));
    this.#replies.clear();
    const wasConnected = this.#connected;
    this.#connected = false;
    const socket = openSocket(this.url, this.auth);
    this.#fallback = socket;
    for (const [event, handlers] of this.#handlers)
      for (const handler of handlers) socket.on(event as 'connect', handler as () => void);
    if (!this.#active) socket.disconnect();
    if (wasConnected) this.#fire('disconnect', 'transport close');
  }
}

/** The worker, or null where it cannot start (no module workers, a policy that forbids them). */
function startWorker(makeWorker: () => Worker): Worker | null {
  try {
    return makeWorker();
  } catch {
    return null;
  }
}

/** A real socket offers everything a SessionSocket does (a compile-time check). */
export const realSocketsFit: AppSocket extends SessionSocket ? true : never = true;
