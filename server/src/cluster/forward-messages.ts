/**
 * What cluster nodes say to each other with `io.serverSideEmit`. The Redis Streams adapter
 * sends these over Redis PUB/SUB (not its stream), in the order one node published them:
 * so everything an owner says about a room (its events, what it does to a socket on
 * another node, the replies to forwarded commands) goes this one way, never partly
 * through the adapter's own socket operations (`io.in(id).socketsJoin`, which take the
 * stream and may overtake or fall behind).
 */
import type { HostRequest } from '../http/host-request';

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
  /** The acknowledgement, as JSON (see below). */
  result: string;
}

/** A host's HTTP request on a live room, for its owner (http-forwarding.ts). */
export interface HttpForwardRequest {
  to: string;
  from: string;
  id: number;
  request: HostRequest;
}

export interface HttpForwardReply {
  to: string;
  id: number;
  /** The HostAnswer, as JSON (see ForwardReply). */
  answer: string;
}

/** What a room's owner does to a socket on another node (remote-socket.ts). */
export type SocketOp =
  | { socketId: string; join: string }
  | { socketId: string; leave: string }
  | { socketId: string; emit: string; args: unknown[] }
  | { socketId: string; disconnect: true };

/** A node that missed some of a room's relayed events asks its owner for them (relay-feed.ts). */
export interface MissedRequest {
  to: string;
  from: string;
  id: number;
  code: string;
  /** The last seq the asking node handed to its sockets. */
  after: number;
}

export interface MissedReply {
  to: string;
  id: number;
  /** The events after `after`, as JSON; null when the owner no longer has them all. */
  events: string | null;
}

export interface InterServerEvents {
  'bpl:socket': (op: SocketOp) => void;
  /**
   * A room's committed events, for the sockets of other nodes (socket/fan-out.ts), as
   * JSON: what socket.io would send the owner's own clients, to the byte (the adapter's
   * msgpack would turn an undefined property into null).
   */
  'bpl:events': (code: string, events: string, from?: string) => void;
  /** Every second, from each node: the last seq it relayed of each room it runs. */
  'bpl:heads': (from: string, heads: [code: string, seq: number][]) => void;
  'bpl:missed': (request: MissedRequest) => void;
  'bpl:missed-reply': (reply: MissedReply) => void;
  'bpl:forward': (request: ForwardRequest) => void;
  'bpl:forward-reply': (reply: ForwardReply) => void;
  'bpl:http': (request: HttpForwardRequest) => void;
  'bpl:http-reply': (reply: HttpForwardReply) => void;
}
