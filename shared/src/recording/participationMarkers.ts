/**
 * Timeline markers for the participation events (markers.ts asks here): a vote, a quiz
 * and a race each get a tick; routine traffic (ballots, answers, readiness) does not.
 * Learning rates applied from proposals or votes are marked by their hyper-changed event.
 */
import type { SessionEvent } from '../session/events';
import type { ParticipationEventBody } from '../session/participation/events';
import type { SessionState } from '../session/state';

export type ParticipationMarkerKind = 'vote' | 'quiz' | 'race';

type ParticipationEvent = Extract<SessionEvent, ParticipationEventBody>;

/** The kind and label of `event`'s marker, or null for routine events. */
export function participationMarker(
  event: ParticipationEvent,
  before: SessionState,
): { kind: ParticipationMarkerKind | 'weight'; label: string } | null {
  switch (event.type) {
    case 'vote-opened':
      return {
        kind: 'vote',
        label: `Vote opened: ${event.options.map((o) => o.rate).join(', ')}`,
      };
    case 'vote-closed': {
      const won = before.participation.vote?.options.find((o) => o.proposalId === event.winner);
      return {
        kind: 'vote',
        label: won ? `Vote closed: ${won.rate} won` : 'Vote closed without votes',
      };
    }
    case 'quiz-opened':
      return { kind: 'quiz', label: `Quiz ${before.participation.quiz.count + 1} opened` };
    case 'quiz-revealed': {
      const number = before.participation.quiz.current?.number ?? '';
      return { kind: 'quiz', label: `Quiz ${number} revealed` };
    }
    case 'race-started':
      return {
        kind: 'race',
        label: `Race: ${event.rates.join(' vs ')}, ${event.steps} step${event.steps === 1 ? '' : 's'}`,
      };
    case 'network-set':
      return { kind: 'weight', label: `Weights of race fork ${event.source.fork + 1} adopted` };
    default:
      return null;
  }
}
