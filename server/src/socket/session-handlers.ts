/**
 * Creating, joining and resuming a session, catching up, and going away. A socket belongs
 * to at most one room at a time; a successful create, join or resume moves it.
 */
import type { Logger } from 'pino';
import { fail, type Result } from '@backprop/shared/protocol';
import type { Identity } from '../room/members';
import type { Room } from '../room/room';
import { titleForNewSession } from '../room/title';
import type { SessionRegistry } from '../sessions/registry';
import { onCommand } from './command';
import { channelOf, type AppSocket } from './types';

const NO_SUCH_SESSION = 'There is no session with this code. Check the code with your instructor.';

export function registerSessionHandlers(
  socket: AppSocket,
  registry: SessionRegistry,
  logger: Logger,
): void {
  onCommand(
    socket,
    'session:create',
    ({ title }) => {
      const cleaned = titleForNewSession(title);
      if (!cleaned.ok) return cleaned;
      const { room, hostToken } = registry.create(cleaned.title);
      return room.run(() => {
        if (!socket.connected) return gone();
        room.members.attach({ role: 'host' }, socket.id);
        moveInto(socket, room, { role: 'host' }, registry, logger);
        return { ok: true, code: room.code, hostToken, sync: room.sync(0) };
      });
    },
    logger,
  );

  onCommand(
    socket,
    'session:join',
    ({ code, name }) => {
      const room = registry.get(code);
      if (!room) return fail('not-found', NO_SUCH_SESSION);
      return room.run(() => {
        if (!socket.connected) return gone();
        const joined = room.join(name, socket.id);
        if (!joined.ok) return joined;
        const { participantId, token } = joined;
        moveInto(socket, room, { role: 'student', participantId }, registry, logger);
        return { ok: true, participantId, token, sync: room.sync(0) };
      });
    },
    logger,
  );

  onCommand(
    socket,
    'session:resume',
    ({ code, token, lastSeq }) => {
      const room = registry.get(code);
      if (!room) return fail('not-found', NO_SUCH_SESSION);
      return room.run(() => {
        if (!socket.connected) return gone();
        const resumed = room.resume(token, socket.id);
        if (!resumed.ok) return resumed;
        const { identity } = resumed;
        moveInto(socket, room, identity, registry, logger);
        return {
          ok: true,
          role: identity.role,
          participantId: identity.role === 'student' ? identity.participantId : null,
          sync: room.sync(lastSeq),
        };
      });
    },
    logger,
  );

  onCommand(
    socket,
    'session:sync',
    ({ lastSeq }) => {
      const membership = socket.data.membership;
      const room = membership && registry.get(membership.code);
      if (!room) return fail('not-found', 'Create, join or resume a session first.');
      return room.run(() => ({ ok: true, sync: room.sync(lastSeq) }));
    },
    logger,
  );

  socket.on('disconnect', () => {
    const membership = socket.data.membership;
    socket.data.membership = null;
    const room = membership && registry.get(membership.code);
    if (!room) return;
    room
      .run(() => room.disconnect(membership.identity, socket.id))
      .catch((err: unknown) => {
        logger.error({ err, code: room.code }, 'recording a disconnect failed');
      });
  });
}

/** The socket went away while its command waited in the queue: nobody to answer. */
function gone(): Result<never> {
  return fail('internal', 'The connection closed.');
}

/**
 * Makes the socket a member of `room` as `identity` (already attached by the caller) and
 * takes it out of the room it was in before, unless that was the same membership.
 */
function moveInto(
  socket: AppSocket,
  room: Room,
  identity: Identity,
  registry: SessionRegistry,
  logger: Logger,
): void {
  const previous = socket.data.membership;
  socket.data.membership = { code: room.code, identity };
  void socket.join(channelOf(room.code));
  if (!previous || (previous.code === room.code && sameIdentity(previous.identity, identity))) {
    return;
  }
  if (previous.code !== room.code) void socket.leave(channelOf(previous.code));
  const before = registry.get(previous.code);
  if (!before) return;
  const leave = () => before.disconnect(previous.identity, socket.id);
  // Already inside `room`'s queue: the same room is handled now, another one in its own queue.
  if (before === room) leave();
  else {
    before.run(leave).catch((err: unknown) => {
      logger.error({ err, code: before.code }, 'recording a departure failed');
    });
  }
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return a.role === 'host'
    ? b.role === 'host'
    : b.role === 'student' && a.participantId === b.participantId;
}
