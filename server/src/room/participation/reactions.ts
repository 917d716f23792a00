import type { SessionEvent } from '@backprop/shared/session';
import { RoomStoppedError } from '../room-stopped';
import { checkQuorum } from './class-steps';
import type { ParticipationContext } from './context';
import { removeStudent } from './removal';

/**
 * What participation does after a recorded event (Room.record calls this with every one).
 * Reactions that record events of their own are queued behind the current task (never
 * recorded from inside record()): a student who leaves may complete the quorum, a removed
 * student's support, ballot and answer are withdrawn.
 */
export function reactToEvent(room: ParticipationContext, event: SessionEvent): void {
  switch (event.type) {
    case 'participant-connection':
      if (!event.connected) later(room, 'quorum check', () => checkQuorum(room));
      break;
    case 'participant-kicked':
      later(room, 'removing a student', () => {
        removeStudent(room, event.id);
        return checkQuorum(room);
      });
      break;
    case 'setup-changed':
    case 'reset':
    case 'ended':
      // The race trained copies of a network that is gone (or a session that is over).
      room.participation.race?.stop();
      break;
    default:
      break;
  }
}

function later(room: ParticipationContext, what: string, task: () => unknown): void {
  room.run(task).catch((err: unknown) => {
    // The room stopped (its commit failed, logged there): there is nothing more to do.
    if (err instanceof RoomStoppedError) return;
    room.participation.logger.error({ err, code: room.code }, `participation: ${what} failed`);
  });
}
