/**
 * What cluster nodes say to each other through the socket.io adapter's stream
 * (`io.serverSideEmit`), which every other node reads in the order it was written: a
 * room's events, then the socket joins and the command replies its owner wrote after
 * them, reach a node in that order.
 */
import type { SessionEvent } from '@backprop/shared/session';

/** A client's command (or its going away) that reached a node other than its room's owner. */
export interface ForwardRequest {
  /** The owner's node id (every node reads the stream; only this one answers). */
  to: string;
  from: string;
  /** Unique on `from`: the reply names it. */
  id: number;
  socketId: string;
  /** The client's address on `from`, for the owner's join limits. */
  ip: string;
  /** A command's name, or 'disconnect' when the client went away (no reply). */
  event: string;
  args: unknown[];
}

export interface ForwardReply {
  to: string;
  id: number;
  result: unknown;
}

export interface InterServerEvents {
  /** A room's committed events, for the sockets of other nodes (socket/fan-out.ts). */
  'bpl:events': (code: string, events: SessionEvent[]) => void;
  'bpl:forward': (request: ForwardRequest) => void;
  'bpl:forward-reply': (reply: ForwardReply) => void;
}
