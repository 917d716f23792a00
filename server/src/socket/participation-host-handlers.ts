/**
 * The instructor's participation commands, registered through host-handlers.ts's wrapper
 * (host token checked inside the room's queue, refused once the session has ended).
 */
import { hostClassSteps, hostForceStep } from '../room/participation/class-steps';
import {
  hostApplyMedian,
  hostApplyRate,
  hostParticipation,
  hostProposals,
} from '../room/participation/proposals';
import {
  hostLeaderboard,
  hostQuizCancel,
  hostQuizOpen,
  hostQuizReveal,
} from '../room/participation/quiz';
import { hostRace, hostRaceAdopt, hostRaceCancel } from '../room/participation/race';
import { hostVoteClose, hostVoteOpen } from '../room/participation/votes';
import type { HostAction, HostCommand } from './host-action';

export function registerParticipationHostCommands(
  hostCommand: <C extends HostCommand>(command: C, action: HostAction<C>) => void,
): void {
  hostCommand('host:participation', hostParticipation);
  hostCommand('host:proposals', hostProposals);
  hostCommand('host:apply-rate', hostApplyRate);
  hostCommand('host:apply-median', (room) => hostApplyMedian(room));
  hostCommand('host:vote-open', hostVoteOpen);
  hostCommand('host:vote-close', (room) => hostVoteClose(room));
  hostCommand('host:class-steps', hostClassSteps);
  hostCommand('host:force-step', (room) => hostForceStep(room));
  hostCommand('host:quiz-open', hostQuizOpen);
  hostCommand('host:quiz-reveal', (room) => hostQuizReveal(room));
  hostCommand('host:quiz-cancel', (room) => hostQuizCancel(room));
  hostCommand('host:leaderboard', hostLeaderboard);
  hostCommand('host:race', hostRace);
  hostCommand('host:race-adopt', hostRaceAdopt);
  hostCommand('host:race-cancel', (room) => hostRaceCancel(room));
}
