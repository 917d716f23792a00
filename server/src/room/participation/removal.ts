import type { ParticipationContext } from './context';
import { withdrawSupport } from './proposals';
import { dropAnswer } from './quiz';
import { dropBallot } from './votes';

/**
 * A kicked student's participation goes with them: their support of proposals (a proposal
 * nobody else supports disappears, note and all), their ballot in the open vote and their
 * answer to the open quiz. Their readiness and points are dropped by the reducer.
 */
export function removeStudent(room: ParticipationContext, participantId: string): void {
  const { participation } = room;
  for (const [proposalId, supporters] of [...participation.supporters]) {
    if (supporters.has(participantId)) withdrawSupport(room, participantId, proposalId);
  }
  dropBallot(room, participantId);
  dropAnswer(room, participantId);
  participation.keys.forget(participantId);
  participation.lastProposalAt.delete(participantId);
}
