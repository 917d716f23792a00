import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@backprop/shared/protocol';
import type { InterServerEvents } from '../cluster/forward-messages';
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
  /**
   * Cluster mode: the room this socket joined or resumed through another node (its owner),
   * whose commands are forwarded there (cluster/forwarding.ts).
   */
  forwardedTo?: string;
}

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
  return `${CHANNEL_PREFIX}${code}`;
}

const CHANNEL_PREFIX = 'session:';

/** The session code of a channel made by channelOf; null for any other socket.io room. */
export function codeOfChannel(channel: string): string | null {
  return channel.startsWith(CHANNEL_PREFIX) ? channel.slice(CHANNEL_PREFIX.length) : null;
}
