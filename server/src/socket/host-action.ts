import type { CommandName, CommandReplies, Payload, Result } from '@backprop/shared/protocol';
import type { Room } from '../room/room';

/**
 * A host command and what it does to the room, once host-handlers.ts's wrapper has checked
 * the host token and that the session goes on. Its own file, so that the participation
 * commands' registrations (participation-host-handlers.ts) and the wrapper do not import
 * each other.
 */
export type HostCommand = Extract<CommandName, `host:${string}`>;
export type HostAction<C extends HostCommand> = (
  room: Room,
  payload: Payload<C>,
) => Result<CommandReplies[C]> | Promise<Result<CommandReplies[C]>>;
