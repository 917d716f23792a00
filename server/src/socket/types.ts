import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@backprop/shared/protocol';
import type { Identity } from '../room/members';
import type { Outbox } from './outbox';

/** Which room a socket belongs to and as whom; null until it creates, joins or resumes. */
export interface Membership {
  code: string;
  identity: Identity;
}

export interface SocketData {
  membership: Membership | null;
  /** What this socket has yet to be sent of its room's broadcasts (fan-out.ts). */
  outbox?: Outbox;
}

// No server-to-server events: one process owns every room.
type InterServerEvents = Record<string, never>;

export type AppServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type AppSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** The socket.io room (broadcast group) of a session. */
export function channelOf(code: string): string {
  return `session:${code}`;
}
