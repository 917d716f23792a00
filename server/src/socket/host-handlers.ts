/**
 * The host:* commands. Authorization is checked on every command, inside the room's
 * queue: the socket must have proven the host token (by creating the session or resuming
 * with the token). Anyone else gets 'forbidden' and nothing changes.
 */
import type { Logger } from 'pino';
import { fail, type Result } from '@backprop/shared/protocol';
import {
  hostEditWeight,
  hostEnd,
  hostHyper,
  hostLock,
  hostMarker,
  hostPlay,
  hostReset,
  hostSetup,
  hostTitle,
} from '../room/host-commands';
import { hostClassView } from '../room/class-view';
import type { Room } from '../room/room';
import { hostStep } from '../room/stepping';
import type { SessionRegistry } from '../sessions/registry';
import { onCommand } from './command';
import type { HostAction, HostCommand } from './host-action';
import { memberOfHeldRoom, storeUnavailable } from './refusals';
import { registerParticipationHostCommands } from './participation-host-handlers';
import { channelOf, type AppSocket } from './types';

export function registerHostHandlers(
  /** A socket by id: this node's, or (cluster mode) the stand-in of another node's. */
  findSocket: (id: string) => AppSocket | undefined,
  socket: AppSocket,
  registry: SessionRegistry,
  logger: Logger,
  ip: string | null = null,
): void {
  const hostCommand = <C extends HostCommand>(command: C, action: HostAction<C>) => {
    onCommand(
      socket,
      command,
      (payload) => {
        const room = hostRoom(socket, registry);
        if (!room) return memberOfHeldRoom(socket, registry) ? storeUnavailable() : forbidden();
        return room.run(() => {
          if (hostRoom(socket, registry) !== room) return forbidden();
          if (room.state.ended) return fail('ended', 'This session has ended.');
          return action(room, payload);
        });
      },
      logger,
    );
  };

  hostCommand('host:setup', hostSetup);
  hostCommand('host:hyper', hostHyper);
  hostCommand('host:step', (room, { granularity }) => hostStep(room, granularity));
  hostCommand('host:play', (room, { playing }) => hostPlay(room, playing, ip));
  hostCommand('host:reset', (room) => hostReset(room));
  hostCommand('host:edit-weight', hostEditWeight);
  hostCommand('host:kick', (room, { participantId }) => kick(findSocket, room, participantId));
  hostCommand('host:lock', (room, { locked }) => hostLock(room, locked));
  hostCommand('host:title', (room, { title }) => hostTitle(room, title));
  hostCommand('host:end', (room) => hostEnd(room));
  hostCommand('host:marker', (room, { label }) => hostMarker(room, label));
  hostCommand('host:class-view', hostClassView);
  registerParticipationHostCommands(hostCommand);
}

/** The room this socket is the host of, if it is. */
function hostRoom(socket: AppSocket, registry: SessionRegistry): Room | undefined {
  const membership = socket.data.membership;
  if (!membership || membership.identity.role !== 'host') return undefined;
  return registry.get(membership.code);
}

function forbidden(): Result<never> {
  return fail('forbidden', 'Only the instructor can do this.');
}

/**
 * Removes a student: the event first (everyone, the student included, sees it), then each
 * of their sockets is told and disconnected. The server-side disconnect means the client
 * does not reconnect by itself, and its token is refused from now on.
 */
async function kick(
  findSocket: (id: string) => AppSocket | undefined,
  room: Room,
  participantId: string,
): Promise<Result> {
  const kicked = room.kick(participantId);
  if (!kicked.ok) return kicked;
  // Committed and broadcast now, so the student sees the event before being told.
  await room.commit();
  for (const id of kicked.sockets) {
    const socket = findSocket(id);
    if (!socket) continue;
    socket.data.membership = null;
    void socket.leave(channelOf(room.code));
    socket.emit('session:kicked');
    socket.disconnect();
  }
  return { ok: true };
}
