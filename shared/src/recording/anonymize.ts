/**
 * A recording to share outside the class: every participant's name becomes "Student 1",
 * "Student 2", … numbered in order of first appearance (the initial state's list, then
 * joins), keyed by participant id so a student keeps one number throughout — in the
 * initial state, in every event, and so in every state the replay derives. Ids are random
 * per session and stay, so reconnects and kicks still refer to the right person.
 *
 * The notes students type with their proposals are free text (a name, a joke about a
 * classmate) and are removed too: proposals and vote options keep their rates.
 */
import type { SessionEvent } from '../session/events';
import type { ParticipationState, Proposal, VoteOption } from '../session/participation';
import type { Participant } from '../session/state';
import type { Recording } from './format';
import type { RecordingHeader } from './header';

export function anonymize(header: RecordingHeader, events: readonly SessionEvent[]): Recording {
  const anonymizer = new Anonymizer();
  return { header: anonymizer.header(header), events: events.map((e) => anonymizer.event(e)) };
}

/** The types of event that anonymizing changes: every other event is kept as it is. */
export const ANONYMIZED_EVENT_TYPES: ReadonlySet<SessionEvent['type']> = new Set([
  'participant-joined',
  'proposal-added',
  'vote-opened',
]);

/** anonymize() one event at a time (a streamed export): the header first, then each event. */
export class Anonymizer {
  private readonly numbers = new Map<string, number>();

  header(header: RecordingHeader): RecordingHeader {
    const { initial } = header;
    return {
      ...header,
      anonymized: true,
      initial: {
        ...initial,
        participants: initial.participants.map((p) => this.rename(p)),
        participation: withoutNotes(initial.participation),
      },
    };
  }

  event(event: SessionEvent): SessionEvent {
    switch (event.type) {
      case 'participant-joined':
        return { ...event, participant: this.rename(event.participant) };
      case 'proposal-added':
        return { ...event, proposal: withoutNote(event.proposal) };
      case 'vote-opened':
        return { ...event, options: event.options.map(withoutNote) };
      default:
        return event;
    }
  }

  private rename(participant: Participant): Participant {
    let number = this.numbers.get(participant.id);
    if (number === undefined) {
      number = this.numbers.size + 1;
      this.numbers.set(participant.id, number);
    }
    return { ...participant, name: `Student ${number}` };
  }
}

function withoutNote<T extends Proposal | VoteOption>(item: T): T {
  return { ...item, note: '' };
}

function withoutNotes(participation: ParticipationState): ParticipationState {
  const { proposals, vote } = participation;
  return {
    ...participation,
    proposals: { ...proposals, items: proposals.items.map(withoutNote) },
    vote: vote && { ...vote, options: vote.options.map(withoutNote) },
  };
}
