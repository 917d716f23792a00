/**
 * A recording to share outside the class: every participant's name becomes "Student 1",
 * "Student 2", … numbered in order of first appearance (the initial state's list, then
 * joins), keyed by participant id so a student keeps one number throughout — in the
 * initial state, in every event, and so in every state the replay derives. Ids are random
 * per session and stay, so reconnects and kicks still refer to the right person.
 */
import type { SessionEvent } from '../session/events';
import type { Participant } from '../session/state';
import type { Recording } from './format';
import type { RecordingHeader } from './header';

export function anonymize(header: RecordingHeader, events: readonly SessionEvent[]): Recording {
  const numbers = new Map<string, number>();
  const rename = (participant: Participant): Participant => {
    let number = numbers.get(participant.id);
    if (number === undefined) {
      number = numbers.size + 1;
      numbers.set(participant.id, number);
    }
    return { ...participant, name: `Student ${number}` };
  };
  const initial = { ...header.initial, participants: header.initial.participants.map(rename) };
  return {
    header: { ...header, anonymized: true, initial },
    events: events.map((event) =>
      event.type === 'participant-joined'
        ? { ...event, participant: rename(event.participant) }
        : event,
    ),
  };
}
