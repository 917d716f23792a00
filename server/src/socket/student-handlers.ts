/**
 * The student:* commands (class participation). Like host commands, authorization is
 * checked inside the room's queue on every command: the socket must have joined or
 * resumed as a student of the room, and not been kicked since (a kick clears the socket's
 * membership). The host gets 'forbidden': students' buttons are not the instructor's.
 */
import type { Logger } from 'pino';
import {
  fail,
  type CommandName,
  type CommandReplies,
  type Payload,
  type Result,
} from '@backprop/shared/protocol';
import { studentReady } from '../room/participation/class-steps';
import { studentPropose, studentWithdraw } from '../room/participation/proposals';
import { studentAnswer } from '../room/participation/quiz';
import { studentVote } from '../room/participation/votes';
import type { Room } from '../room/room';
import type { SessionRegistry } from '../sessions/registry';
import { onCommand } from './command';
import { memberOfHeldRoom, storeUnavailable } from './refusals';
import type { AppSocket } from './types';

type StudentCommand = Extract<CommandName, `student:${string}`>;
type StudentAction<C extends StudentCommand> = (
  room: Room,
  participantId: string,
  payload: Payload<C>,
) => Result<CommandReplies[C]> | Promise<Result<CommandReplies[C]>>;

export function registerStudentHandlers(
  socket: AppSocket,
  registry: SessionRegistry,
  logger: Logger,
): void {
  const studentCommand = <C extends StudentCommand>(command: C, action: StudentAction<C>) => {
    onCommand(
      socket,
      command,
      (payload) => {
        const found = studentOf(socket, registry);
        if (!found) return memberOfHeldRoom(socket, registry) ? storeUnavailable() : forbidden();
        const { room, participantId } = found;
        // Through the student lane, so a burst of students cannot delay the host (see there).
        return room.participation.studentLane.run(() => {
          const again = studentOf(socket, registry);
          if (again?.room !== room || again.participantId !== participantId) return forbidden();
          if (room.state.ended) return fail('ended', 'This session has ended.');
          return action(room, participantId, payload);
        });
      },
      logger,
    );
  };

  studentCommand('student:propose', studentPropose);
  studentCommand('student:withdraw', studentWithdraw);
  studentCommand('student:vote', studentVote);
  studentCommand('student:ready', studentReady);
  studentCommand('student:answer', studentAnswer);
}

/** The room and participant this socket is a student of, if it is. */
function studentOf(
  socket: AppSocket,
  registry: SessionRegistry,
): { room: Room; participantId: string } | undefined {
  const membership = socket.data.membership;
  if (!membership || membership.identity.role !== 'student') return undefined;
  const room = registry.get(membership.code);
  return room && { room, participantId: membership.identity.participantId };
}

function forbidden(): Result<never> {
  return fail('forbidden', 'Only students who joined this session can do this.');
}
