/**
 * Creating, joining and resuming a session, catching up, and going away. A socket belongs
 * to at most one room at a time; a successful create, join or resume moves it.
 */
import type { Logger } from 'pino';
import { fail, type Result } from '@backprop/shared/protocol';
import { elsewhere, nodesApart } from '../cluster/forwarding';
import type { Identity } from '../room/members';
import type { JoinGuard } from '../security/join-guard';
import type { Room } from '../room/room';
import { titleForNewSession } from '../room/title';
import type { OpenRefusal, SessionRegistry } from '../sessions/registry';
import { onCommand } from './command';
import { memberOfHeldRoom, storeUnavailable } from './refusals';
import { channelOf, type AppSocket } from './types';

const NO_SUCH_SESSION = 'There is no session with this code. Check the code with your instructor.';

/**
 * `guard` counts failed joins and resumes from `ip` (the client's address) and from
 * everyone against one code: see security/join-guard.ts.
 */
export function registerSessionHandlers(
  socket: AppSocket,
  registry: SessionRegistry,
  logger: Logger,
  guard: JoinGuard,
  ip: string,
): void {
  onCommand(
    socket,
    'session:create',
    async ({ title }) => {
      const cleaned = titleForNewSession(title);
      if (!cleaned.ok) return cleaned;
      if (registry.isFull) {
        return fail('busy', 'This server is running as many sessions as it may. Try again later.');
      }
      const { room, hostToken } = await registry.create(cleaned.title);
      return room.run(() => {
        if (!socket.connected) {
          // Nobody will ever hold this room's host token: free it now, not in two hours.
          registry.dispose(room.code, 'abandoned');
          return gone();
        }
        room.members.attach({ role: 'host' }, socket.id);
        moveInto(socket, room, { role: 'host' }, registry, logger);
        return {
          ok: true,
          code: room.code,
          hostToken,
          replayId: room.replayId,
          sync: room.sync(0),
        };
      });
    },
    logger,
  );

  onCommand(
    socket,
    'session:join',
    ({ code, name, key }) =>
      guard.join(ip, code, async () => {
        const room = await registry.open(code);
        if (typeof room === 'string') return refused(room);
        // Joins enter the room in groups, with the students' other commands (student-lane.ts):
        // a class joining at once costs one commit and one broadcast per group of joins,
        // not one per student, and the host's commands wait for one group at most.
        const joined = await room.participation.studentLane.run(() =>
          socket.connected ? room.join(name, socket.id, key) : gone(),
        );
        if (!joined.ok) return joined;
        const { participantId, token } = joined;
        // The group is committed and its events sent: only now is this socket put in the
        // channel, so the joiner never gets its join event twice (the reply's snapshot holds
        // it). This runs before the room's next task (task-queue.ts), so nothing is missed.
        moveInto(socket, room, { role: 'student', participantId }, registry, logger);
        return { ok: true, participantId, token, replayId: room.replayId, sync: room.sync(0) };
      }),
    logger,
  );

  onCommand(
    socket,
    'session:resume',
    ({ code, token, lastSeq }) =>
      guard.resume(ip, code, async () => {
        const room = await registry.open(code);
        if (typeof room === 'string') return refused(room);
        return room.run(async () => {
          if (!socket.connected) return gone();
          const resumed = room.resume(token, socket.id);
          if (!resumed.ok) return resumed;
          const { identity } = resumed;
          // As for a join: the "connected again" event is in the reply's events, not also live.
          await room.commit();
          moveInto(socket, room, identity, registry, logger);
          return {
            ok: true,
            role: identity.role,
            participantId: identity.role === 'student' ? identity.participantId : null,
            replayId: room.replayId,
            sync: room.sync(lastSeq),
          };
        });
      }),
    logger,
  );

  onCommand(
    socket,
    'session:sync',
    ({ lastSeq }) => {
      const membership = socket.data.membership;
      const room = membership && registry.get(membership.code);
      if (!room) {
        if (memberOfHeldRoom(socket, registry)) return storeUnavailable();
        return fail('not-found', 'Create, join or resume a session first.');
      }
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

/** Why a join or resume found no room to enter. */
function refused(why: OpenRefusal): Result<never> {
  switch (why) {
    case 'not-found':
      return fail('not-found', NO_SUCH_SESSION);
    case 'ended':
      return fail('ended', 'This session has ended.');
    case 'busy':
      return fail('busy', 'This server is running as many sessions as it may. Try again later.');
    case 'elsewhere':
      // Another node took the lease after the forwarding looked (cluster/forwarding.ts): retry.
      return elsewhere();
    case 'unavailable':
      return storeUnavailable();
    case 'unreachable':
      return nodesApart();
  }
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
