/** Refusals that several kinds of handlers answer alike. */
import { fail, STORE_UNAVAILABLE_MESSAGE, type Result } from '@backprop/shared/protocol';
import type { SessionRegistry } from '../sessions/registry';
import type { AppSocket } from './types';

/** The recordings store cannot commit now: nothing was done (sessions/held-rooms.ts). */
export function storeUnavailable(): Result<never> {
  return fail('unavailable', STORE_UNAVAILABLE_MESSAGE);
}

/**
 * Whether the room this socket is a member of is on hold (its store is away): its commands
 * are answered storeUnavailable() rather than as if the socket were in no room.
 */
export function memberOfHeldRoom(socket: AppSocket, registry: SessionRegistry): boolean {
  const membership = socket.data.membership;
  return membership !== null && registry.isHeld(membership.code);
}
