/**
 * What the page and its socket worker (socket-worker.ts) say to each other: the page's
 * WorkerSocket (worker-socket.ts) stands for a Socket.IO socket that lives in the worker.
 */
import type { HandshakeAuth } from '@backprop/shared/protocol';

export type ToSocketWorker =
  | { kind: 'open'; url: string | undefined; auth: HandshakeAuth }
  | { kind: 'connect' }
  | { kind: 'disconnect' }
  /** The page is done with the socket: the worker disconnects it and ends. */
  | { kind: 'close' }
  /** A command; its answer comes back as a 'reply' with the same id. */
  | { kind: 'emit'; id: number; event: string; args: unknown[]; timeoutMs: number | null }
  /** The page's handler took the server's event `id` (its acknowledgement, sent on). */
  | { kind: 'ack'; id: number }
  /** The page's tab was hidden or shown: play frames wait in the worker while it is hidden. */
  | { kind: 'hidden'; hidden: boolean };

/** The socket's state, sent with each of its connection events. */
export interface SocketStatus {
  connected: boolean;
  active: boolean;
}

export type FromSocketWorker =
  | ({ kind: 'connect' } & SocketStatus)
  | ({ kind: 'disconnect'; reason: string } & SocketStatus)
  | ({ kind: 'connect_error'; message: string } & SocketStatus)
  /** A server event; `ackId` when the server asked for an acknowledgement. */
  | { kind: 'event'; event: string; args: unknown[]; ackId: number | null }
  | { kind: 'reply'; id: number; error: string | null; args: unknown[] };
